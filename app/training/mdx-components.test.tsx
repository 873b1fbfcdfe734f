import { fileURLToPath } from "node:url";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Callout, DecisionTable, TrainingContent, TryIt } from "./mdx-components";
import { loadTrainingCatalog } from "./modules.server";

const contentDir = fileURLToPath(new URL("../../content/training", import.meta.url));

describe("Callout", () => {
  it("is a labelled note whose label follows the kind", () => {
    const html = renderToStaticMarkup(<Callout kind="warning">Never split a gesture.</Callout>);
    expect(html).toMatch(/^<div class="training-callout training-callout--warning" role="note" aria-labelledby="([^"]+)"><p class="training-callout__label" id="\1">Warning<\/p>Never split a gesture.<\/div>$/);
  });

  it("uses a custom title when given", () => {
    expect(renderToStaticMarkup(<Callout title="Before you start">x</Callout>)).toContain(">Before you start</p>");
  });
});

describe("TryIt", () => {
  it("renders a static screen with its buttons as text and the steps as an ordered list", () => {
    const html = renderToStaticMarkup(
      <TryIt title="Escalating a case" buttons={["Reply", "Escalate"]} steps={["Read the case", "Press Escalate"]}>
        <p>Customer: my lawyer will call you.</p>
      </TryIt>,
    );
    expect(html).toContain('<figcaption class="training-tryit__title">Try it: Escalating a case</figcaption>');
    expect(html).toContain("Example screen: nothing here is live.");
    expect(html).toContain('<li class="training-tryit__button">Escalate</li>');
    expect(html).toMatch(/<ol class="training-tryit__steps" aria-labelledby="[^"]+"><li>Read the case<\/li><li>Press Escalate<\/li><\/ol>/);
    // A picture of a console must not look like something to press.
    expect(html).not.toContain("<button");
  });
});

describe("DecisionTable", () => {
  it("is a real table with a caption and row and column headers", () => {
    const html = renderToStaticMarkup(
      <DecisionTable caption="When to escalate" rows={[{ situation: "Legal threat", action: "Escalate" }]} />,
    );
    expect(html).toContain("<caption");
    expect(html).toContain(">When to escalate</caption>");
    expect(html).toContain('<th scope="col">Situation</th><th scope="col">What you do</th>');
    expect(html).toContain('<tr><th scope="row">Legal threat</th><td>Escalate</td></tr>');
    expect(html).toMatch(/^<div class="training-table-scroll" role="region" aria-labelledby="[^"]+" tabindex="0">/);
  });
});

describe("the real modules", () => {
  it("each render with headings, images with alt text, and the labels of their language", async () => {
    const catalog = await loadTrainingCatalog({ dir: contentDir });
    const rendered = catalog.modules.map((module) => ({
      module,
      html: renderToStaticMarkup(<TrainingContent tree={module.tree} language={module.language} />),
    }));

    for (const { module, html } of rendered) {
      expect(html, module.file).toContain(`lang="${module.language}"`);
      for (const section of module.sections) expect(html, module.file).toContain(`<h2 id="${section.id}">`);
      for (const img of html.match(/<img[^>]*>/g) ?? []) expect(img, module.file).toMatch(/alt="[^"]{10,}"/);
    }

    const all = rendered.map(({ html }) => html).join("\n");
    expect(all).toContain('role="note"');
    expect(all).toContain('class="training-tryit"');
    expect(all).toContain("<table");
    const dutch = rendered.find(({ module }) => module.language === "nl")?.html ?? "";
    expect(dutch).toContain("Probeer het: ");
    expect(dutch).toContain(">Let op</p>");
    expect(dutch).toContain('src="data:image/svg+xml;base64,');
  });
});
