import { toJsxRuntime, type Evaluater } from "hast-util-to-jsx-runtime";
import { createContext, useContext, useId, useMemo, type ReactNode } from "react";
import { Fragment, jsx, jsxs } from "react/jsx-runtime";
import type { MdxComponentName } from "./mdx-component-names";
import { literalData, type EsNode } from "./mdx-literal";

// The only components a training module may use (the compiler rejects any
// other). They render plain, semantic HTML with "training-*" class names;
// training.css styles them.

type CalloutKind = "info" | "warning" | "tip";

interface ComponentLabels {
  callout: Record<CalloutKind, string>;
  tryIt: string;
  mockNote: string;
  buttons: string;
  steps: string;
  situation: string;
  action: string;
}

// Default labels follow the module's language, so a Dutch module does not
// announce "Warning" to a Dutch screen-reader user. Other languages fall back to English.
const LABELS: Record<string, ComponentLabels> = {
  en: {
    callout: { info: "Good to know", warning: "Warning", tip: "Tip" },
    tryIt: "Try it",
    mockNote: "Example screen: nothing here is live.",
    buttons: "Buttons on this screen",
    steps: "Steps",
    situation: "Situation",
    action: "What you do",
  },
  nl: {
    callout: { info: "Goed om te weten", warning: "Let op", tip: "Tip" },
    tryIt: "Probeer het",
    mockNote: "Voorbeeldscherm: niets hiervan is echt.",
    buttons: "Knoppen op dit scherm",
    steps: "Stappen",
    situation: "Situatie",
    action: "Wat je doet",
  },
};

const TrainingLanguage = createContext("en");

function useLabels(): ComponentLabels {
  const language = useContext(TrainingLanguage);
  return LABELS[language] ?? (LABELS.en as ComponentLabels);
}

export function Callout({ kind = "info", title, children }: { kind?: CalloutKind; title?: string; children?: ReactNode }) {
  const labels = useLabels();
  const labelId = useId();
  return (
    <div className={`training-callout training-callout--${kind}`} role="note" aria-labelledby={labelId}>
      <p className="training-callout__label" id={labelId}>
        {title ?? labels.callout[kind]}
      </p>
      {children}
    </div>
  );
}

/**
 * A static picture of a console screen built from text, so it reads the same
 * to a screen reader as it looks. `children` is what the screen shows (the
 * customer's message, the case details); `buttons` are the controls visible on
 * it, `steps` what the learner would do.
 */
export function TryIt({
  title,
  buttons,
  steps,
  children,
}: {
  title: string;
  buttons?: string[];
  steps?: string[];
  children?: ReactNode;
}) {
  const labels = useLabels();
  const buttonsId = useId();
  const stepsId = useId();
  return (
    <figure className="training-tryit">
      <figcaption className="training-tryit__title">
        {labels.tryIt}: {title}
      </figcaption>
      <div className="training-tryit__screen">
        <p className="training-tryit__note">{labels.mockNote}</p>
        {children}
        {buttons && buttons.length > 0 ? (
          <>
            <p className="training-visually-hidden" id={buttonsId}>
              {labels.buttons}
            </p>
            <ul className="training-tryit__buttons" aria-labelledby={buttonsId}>
              {buttons.map((button) => (
                <li key={button} className="training-tryit__button">
                  {button}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </div>
      {steps && steps.length > 0 ? (
        <>
          <p className="training-tryit__steps-label" id={stepsId}>
            {labels.steps}
          </p>
          <ol className="training-tryit__steps" aria-labelledby={stepsId}>
            {steps.map((step) => (
              <li key={step}>{step}</li>
            ))}
          </ol>
        </>
      ) : null}
    </figure>
  );
}

export interface DecisionRow {
  situation: string;
  action: string;
}

/** "If this, then that" as a real table; it scrolls on its own on a narrow screen instead of the page. */
export function DecisionTable({
  caption,
  rows,
  situationLabel,
  actionLabel,
}: {
  caption: string;
  rows: DecisionRow[];
  situationLabel?: string;
  actionLabel?: string;
}) {
  const labels = useLabels();
  const captionId = useId();
  return (
    // Focusable so keyboard users can scroll it; named by the caption.
    <div className="training-table-scroll" role="region" aria-labelledby={captionId} tabIndex={0}>
      <table className="training-decision-table">
        <caption id={captionId}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{situationLabel ?? labels.situation}</th>
            <th scope="col">{actionLabel ?? labels.action}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.situation}>
              <th scope="row">{row.situation}</th>
              <td>{row.action}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export const trainingMdxComponents = { Callout, TryIt, DecisionTable } satisfies Record<MdxComponentName, unknown>;

/** A compiled module: its HTML syntax tree (hast), plain data built by module-tree.server.ts. */
export type ModuleTree = Extract<Parameters<typeof toJsxRuntime>[0], { type: "root" }>;

// The tree names components (<Callout>) and holds `{...}` property values as
// syntax trees. Both are read here, never evaluated as JavaScript: a name is
// looked up among the training components, a value is read as literal data.
const readContent: Evaluater = {
  evaluateExpression(expression) {
    if (expression.type === "Identifier" && Object.hasOwn(trainingMdxComponents, expression.name)) {
      return trainingMdxComponents[expression.name as MdxComponentName];
    }
    const literal = literalData(expression as EsNode);
    if (!literal) throw new Error(`training content holds code (${expression.type}); the compiler should have refused it`);
    return literal.value;
  },
  evaluateProgram() {
    throw new Error("training content holds imports or exports; the compiler should have refused them");
  },
};

/** Renders a compiled module (TrainingModule.tree) with the training components, the same on the server and in the browser. */
export function TrainingContent({ tree, language }: { tree: ModuleTree; language: string }) {
  const content = useMemo(
    () => toJsxRuntime(tree, { Fragment, jsx, jsxs, createEvaluater: () => readContent, passKeys: true }),
    [tree],
  );
  return (
    <TrainingLanguage.Provider value={language}>
      <div className="training-content" lang={language}>
        {content}
      </div>
    </TrainingLanguage.Provider>
  );
}
