// The /live event stream of one signed-in console: every live event meant
// for this user (isLiveEventFor), as server-sent events, with a comment
// every 20 s so proxies keep the connection open. The subscription ends
// when the browser goes away. For an agent, the open stream is also the
// console's presence heartbeat (`beat`, every `beatEveryMs`).
import { clientEvent, isLiveEventFor } from "./live-event";
import { subscribeLive } from "./live.server";

const HEARTBEAT_MS = 20_000;

export interface PresenceBeat {
  beat: () => Promise<void>;
  beatEveryMs: number;
}

export async function liveEventStream(user: { id: string; mayReadCases: boolean }, signal: AbortSignal, presence?: PresenceBeat): Promise<Response> {
  const encoder = new TextEncoder();
  let cleanup = () => {};
  let closed = false;
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (text: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          cleanup();
        }
      };
      const unsubscribe = await subscribeLive((event) => {
        if (isLiveEventFor(event, user)) send(`data: ${JSON.stringify(clientEvent(event, Date.now()))}\n\n`);
      });
      const heartbeat = setInterval(() => send(": keepalive\n\n"), HEARTBEAT_MS);
      heartbeat.unref?.();
      const beat = () => void presence?.beat().catch((error: unknown) => console.error("[surge] presence heartbeat failed:", error));
      const presenceTimer = presence ? setInterval(beat, presence.beatEveryMs) : null;
      presenceTimer?.unref?.();
      beat();
      cleanup = () => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        if (presenceTimer) clearInterval(presenceTimer);
        unsubscribe();
        signal.removeEventListener("abort", cleanup);
        try {
          controller.close();
        } catch {
          // already closed by the reader
        }
      };
      if (signal.aborted) return cleanup();
      signal.addEventListener("abort", cleanup);
      // The browser reconnects after 3 s when the stream breaks.
      send("retry: 3000\n: connected\n\n");
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      // no-transform keeps the compression middleware from buffering the stream.
      "Cache-Control": "no-cache, no-transform",
      "X-Accel-Buffering": "no",
    },
  });
}
