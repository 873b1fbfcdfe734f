import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { MDX_COMPONENT_NAMES } from "./mdx-component-names";
import { literalData, type EsNode } from "./mdx-literal";

// A remark plugin run while a module compiles. It enforces the rules that
// keep training readable for everyone (alt text on every image, a sane heading
// outline, only the components the app provides) and prepares the tree:
// headings get stable ids (so a learner can resume at a section) and images
// beside the module are inlined as data URLs (so the compiled code is
// self-contained and needs no asset route).

/** The bits of the MDX syntax tree this plugin reads; kept local on purpose. */
interface MdxNode {
  type: string;
  children?: MdxNode[];
  value?: unknown;
  depth?: number;
  url?: string;
  alt?: string | null;
  name?: string | null;
  attributes?: MdxAttribute[];
  position?: { start: { line: number } };
  data?: { hProperties?: Record<string, unknown> } & Record<string, unknown>;
}

interface MdxAttribute {
  type: string;
  name?: string;
  value?: unknown;
}

// Content is text, not code: these would run script or load things in the learner's page.
const FORBIDDEN_ELEMENTS = new Set(["script", "style", "iframe", "frame", "object", "embed", "form", "base", "meta", "link"]);

/** The single expression of a `{...}` (null when it holds only a comment), or undefined when it is not one expression. */
function expressionOf(value: unknown): EsNode | null | undefined {
  const program = (value as { data?: { estree?: EsNode } } | undefined)?.data?.estree;
  if (!program?.body) return undefined;
  if (program.body.length === 0) return null;
  const [statement] = program.body;
  return program.body.length === 1 && statement?.type === "ExpressionStatement" ? statement.expression : undefined;
}

export interface ModuleSection {
  /** The heading's id in the rendered page, stored as TrainingProgress.lastSection. */
  id: string;
  title: string;
}

export interface ContentCheckReport {
  problems: string[];
  sections: ModuleSection[];
}

const IMAGE_TYPES: Record<string, string> = {
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
};

// Volunteers read on phones over whatever network they have at home.
const MAX_IMAGE_BYTES = 200 * 1024;

/**
 * Builds the plugin for one module file. Findings go into `report`, which the
 * caller reads once compilation finishes.
 */
export function contentChecks(moduleDir: string, report: ContentCheckReport) {
  return () => (tree: MdxNode) => {
    const usedIds = new Map<string, number>();
    let previousDepth = 1; // the page renders the module title as the h1

    walk(tree, (node) => {
      const where = node.position ? `line ${node.position.start.line}: ` : "";

      if (node.type === "heading" && node.depth !== undefined) {
        const title = textOf(node).trim();
        if (node.depth === 1) {
          report.problems.push(`${where}heading "${title}" is level 1; the module title is the only level-1 heading, start sections at ##`);
        } else if (node.depth > previousDepth + 1) {
          report.problems.push(
            `${where}heading "${title}" jumps from level ${previousDepth} to level ${node.depth}; use level ${previousDepth + 1}`,
          );
        }
        previousDepth = node.depth;
        const id = uniqueId(slugify(title) || "section", usedIds);
        node.data = { ...node.data, hProperties: { ...node.data?.hProperties, id } };
        if (node.depth === 2) report.sections.push({ id, title });
      }

      if (node.type === "image" || node.type === "imageReference") {
        const label = node.url ?? "image";
        if (!node.alt?.trim()) {
          report.problems.push(`${where}image "${label}" has no alt text; write what it shows: ![what it shows](${label})`);
        }
        if (node.type === "image" && node.url) {
          const inlined = inlineImage(node.url, moduleDir);
          if ("problem" in inlined) report.problems.push(where + inlined.problem);
          else node.url = inlined.dataUrl;
        }
      }

      // Training content must not run code: no imports or exports, no {expressions} in the text.
      if (node.type === "mdxjsEsm") {
        report.problems.push(`${where}imports and exports are not allowed in training content; use the available components (${MDX_COMPONENT_NAMES.join(", ")})`);
      }
      if ((node.type === "mdxFlowExpression" || node.type === "mdxTextExpression") && expressionOf(node) !== null) {
        report.problems.push(`${where}{${String(node.value ?? "").trim().slice(0, 40)}} is a JavaScript expression; training content is text, write the value itself`);
      }

      if ((node.type === "mdxJsxFlowElement" || node.type === "mdxJsxTextElement") && node.name) {
        checkJsxElement(node, moduleDir, where, report);
      }
    });
  };
}

function checkJsxElement(node: MdxNode, moduleDir: string, where: string, report: ContentCheckReport) {
  const name = node.name ?? "";
  const isHtmlElement = /^[a-z][a-z0-9-]*$/.test(name);
  if (!isHtmlElement && !(MDX_COMPONENT_NAMES as readonly string[]).includes(name)) {
    report.problems.push(`${where}<${name}> is not an available component; use one of ${MDX_COMPONENT_NAMES.join(", ")}`);
    return;
  }
  if (FORBIDDEN_ELEMENTS.has(name)) {
    report.problems.push(`${where}<${name}> is not allowed in training content`);
    return;
  }
  for (const attribute of node.attributes ?? []) {
    if (attribute.type === "mdxJsxExpressionAttribute") {
      report.problems.push(`${where}<${name} {...}> spreads a JavaScript expression; write each property with a literal value`);
      continue;
    }
    const prop = attribute.name ?? "";
    if (/^on/i.test(prop) || prop === "dangerouslySetInnerHTML" || prop === "nonce") {
      report.problems.push(`${where}the property ${prop} of <${name}> is not allowed in training content`);
    }
    if (typeof attribute.value === "string" && /^\s*(javascript|vbscript|data:text\/html)/i.test(attribute.value)) {
      report.problems.push(`${where}the property ${prop} of <${name}> is a script address, which is not allowed`);
    }
    if (attribute.value && typeof attribute.value === "object" && !literalData(expressionOf(attribute.value))) {
      report.problems.push(
        `${where}the property ${prop} of <${name}> is a JavaScript expression; give literal data (text, numbers, true/false, lists and objects of those)`,
      );
    }
  }
  if (name !== "img") return;

  const attributes = node.attributes ?? [];
  const alt = attributes.find((attribute) => attribute.type === "mdxJsxAttribute" && attribute.name === "alt");
  const hasSpread = attributes.some((attribute) => attribute.type === "mdxJsxExpressionAttribute");
  const src = attributes.find((attribute) => attribute.type === "mdxJsxAttribute" && attribute.name === "src");
  const label = typeof src?.value === "string" ? src.value : "img";
  // An expression (alt={text}) cannot be checked here; a literal must say something.
  const altMissing = alt ? typeof alt.value !== "object" && !String(alt.value ?? "").trim() : !hasSpread;
  if (altMissing) {
    report.problems.push(`${where}<img src="${label}"> has no alt text; add alt="what it shows"`);
  }
  if (src && typeof src.value === "string") {
    const inlined = inlineImage(src.value, moduleDir);
    if ("problem" in inlined) report.problems.push(where + inlined.problem);
    else src.value = inlined.dataUrl;
  }
}

function inlineImage(url: string, moduleDir: string): { dataUrl: string } | { problem: string } {
  if (/^[a-z]+:/i.test(url) || url.startsWith("/")) {
    return { problem: `image "${url}" must be a file beside the module (e.g. ./diagram.svg), not a link` };
  }
  const file = path.resolve(moduleDir, url);
  if (!file.startsWith(moduleDir + path.sep)) {
    return { problem: `image "${url}" is outside the module's folder` };
  }
  const type = IMAGE_TYPES[path.extname(file).toLowerCase()];
  if (!type) return { problem: `image "${url}" is not one of ${Object.keys(IMAGE_TYPES).join(", ")}` };
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return { problem: `image "${url}" was not found beside the module` };
  }
  if (size > MAX_IMAGE_BYTES) {
    return { problem: `image "${url}" is ${Math.round(size / 1024)} KB; keep images under ${MAX_IMAGE_BYTES / 1024} KB` };
  }
  return { dataUrl: `data:${type};base64,${readFileSync(file).toString("base64")}` };
}

function walk(node: MdxNode, visit: (node: MdxNode) => void) {
  visit(node);
  for (const child of node.children ?? []) walk(child, visit);
}

function textOf(node: MdxNode): string {
  if (typeof node.value === "string" && (node.type === "text" || node.type === "inlineCode")) return node.value;
  return (node.children ?? []).map(textOf).join("");
}

function slugify(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

function uniqueId(base: string, used: Map<string, number>): string {
  const seen = used.get(base) ?? 0;
  used.set(base, seen + 1);
  return seen === 0 ? base : `${base}-${seen + 1}`;
}
