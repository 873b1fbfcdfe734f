// Keyboard shortcuts of the workspace. Listed on the screen and announced
// with aria-keyshortcuts; ignored while typing in a field.
export const CONSOLE_SHORTCUTS = [
  { key: "n", action: "next-case", label: "Next case" },
  { key: "r", action: "reply", label: "Write a reply" },
  { key: "i", action: "note", label: "Write an internal note" },
  { key: "h", action: "hold", label: "Put on hold / resume" },
  { key: "e", action: "resolve", label: "Resolve" },
  { key: "c", action: "case", label: "Back to the case heading" },
] as const;

export type ConsoleShortcut = (typeof CONSOLE_SHORTCUTS)[number];

/** The shortcut a key press means, unless the person is typing. */
export function shortcutFor(event: { key: string; altKey: boolean; ctrlKey: boolean; metaKey: boolean; targetIsField: boolean }): ConsoleShortcut | null {
  if (event.altKey || event.ctrlKey || event.metaKey || event.targetIsField) return null;
  return CONSOLE_SHORTCUTS.find((shortcut) => shortcut.key === event.key.toLowerCase()) ?? null;
}
