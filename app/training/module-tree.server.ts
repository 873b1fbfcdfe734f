import type { ModuleTree } from "./mdx-components";

// A rehype plugin, the last one mdx-bundler runs: it keeps the module's HTML
// syntax tree (hast, with the MDX components still as mdxJsx elements) as
// plain data for the page to render. The JavaScript bundle mdx-bundler goes on
// to build is not sent to the browser: evaluating it needs `new Function`,
// which the Content-Security-Policy forbids. mdx-content-checks.server.ts has
// already refused code in the module, so what is kept is text, elements, the
// allowed components and literal property values.

interface TreeNode {
  type: string;
  children?: TreeNode[];
  position?: unknown;
  attributes?: { type: string; value?: unknown; data?: { estree?: unknown } }[];
}

export function keepRenderTree(target: { tree?: ModuleTree }) {
  return () => (tree: TreeNode) => {
    target.tree = plain(tree) as unknown as ModuleTree;
  };
}

// A copy without positions (they serve error messages; the page does not need
// them) and without `{...}` in the text, which passes the content checks only
// when it holds a comment and so renders nothing.
function plain(node: TreeNode): TreeNode {
  const { position: _position, children, attributes, ...rest } = node;
  const copy: TreeNode = structuredClone(rest);
  if (attributes) copy.attributes = attributes.map(plainAttribute);
  if (children) {
    copy.children = children.filter((child) => child.type !== "mdxFlowExpression" && child.type !== "mdxTextExpression").map(plain);
  }
  return copy;
}

function plainAttribute(attribute: NonNullable<TreeNode["attributes"]>[number]): NonNullable<TreeNode["attributes"]>[number] {
  const { position: _position, ...rest } = attribute as typeof attribute & { position?: unknown };
  const value = rest.value as { type?: string; value?: unknown; data?: { estree?: unknown } } | null | undefined;
  if (!value || typeof value !== "object") return rest;
  return { ...rest, value: { type: value.type, value: value.value, data: { estree: withoutEstreePositions(value.data?.estree) } } };
}

const ESTREE_POSITION_KEYS = new Set(["loc", "range", "start", "end", "comments", "position"]);

function withoutEstreePositions(estree: unknown): unknown {
  return JSON.parse(JSON.stringify(estree ?? null, (key, value: unknown) => (ESTREE_POSITION_KEYS.has(key) ? undefined : value)));
}
