// The console's live updates: one EventSource on /live for as long as the
// component is mounted; the browser reconnects it by itself. onEvent may
// change between renders without reopening the stream.
import { useEffect, useRef } from "react";
import { parseLiveEvent, type ClientLiveEvent } from "./live-event";

export function useLiveEvents(onEvent: (event: ClientLiveEvent) => void, url = "/live"): void {
  const handler = useRef(onEvent);
  useEffect(() => {
    handler.current = onEvent;
  });
  useEffect(() => {
    if (typeof EventSource === "undefined") return;
    const source = new EventSource(url);
    source.onmessage = (message: MessageEvent<string>) => {
      const event = parseLiveEvent(message.data);
      const at = (JSON.parse(message.data) as { at?: unknown }).at;
      if (event) handler.current({ kind: event.kind, ...(event.caseId ? { caseId: event.caseId } : {}), at: typeof at === "number" ? at : Date.now() });
    };
    return () => source.close();
  }, [url]);
}
