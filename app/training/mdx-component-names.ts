// The components a training module may use in its MDX. The server checks each
// module against this list at compile time, so a typo fails loudly there
// instead of crashing the learner's page; mdx-components.tsx implements them.
export const MDX_COMPONENT_NAMES = ["Callout", "TryIt", "DecisionTable"] as const;
export type MdxComponentName = (typeof MDX_COMPONENT_NAMES)[number];
