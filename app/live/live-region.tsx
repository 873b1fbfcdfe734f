// A visually hidden live region: what the console announces (a new customer
// message, a reassignment, a mention) is read out by screen readers without
// moving focus. Keep it mounted from the first render: regions added later
// are not announced by every screen reader.
import { useCallback, useState } from "react";

export function LiveRegion({ message, politeness = "polite" }: { message: string; politeness?: "polite" | "assertive" }) {
  return (
    <div className="visually-hidden" role={politeness === "assertive" ? "alert" : "status"} aria-live={politeness} aria-atomic="true">
      {message}
    </div>
  );
}

/**
 * The message to show in a LiveRegion and a function to announce one. The
 * same text twice in a row is still announced (a counter makes it differ
 * for React; the zero-width space keeps it the same for the listener).
 */
export function useAnnouncer(): [string, (text: string) => void] {
  const [state, setState] = useState({ text: "", count: 0 });
  const announce = useCallback((text: string) => setState((previous) => ({ text, count: previous.count + 1 })), []);
  return [state.count % 2 === 0 ? state.text : `${state.text}\u200b`, announce];
}
