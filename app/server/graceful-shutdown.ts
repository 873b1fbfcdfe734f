// Stopping the HTTP server without cutting a request: stop accepting new
// connections, answer every request already received (each answer during
// the shutdown carries "Connection: close"), close keep-alive connections as
// soon as they are idle, and after `timeoutMs` close whatever is left.
import type { Server } from "node:http";
import { Server as NetServer, type Socket } from "node:net";

/**
 * How long an idle keep-alive connection stays open once the shutdown began:
 * a request the client sent on it just before may not have been read yet
 * (the process is busy), and closing the connection would cut it.
 */
const IDLE_GRACE_MS = 1000;

export interface DrainingServer {
  /** Requests received and not answered yet. */
  inFlight(): number;
  /** Resolves true when every request was answered within timeoutMs, false when some were cut. */
  drain(timeoutMs: number): Promise<boolean>;
}

export function trackRequests(server: Server): DrainingServer {
  const active = new Map<Socket, number>();
  let inFlight = 0;
  let draining = false;
  let onIdle: (() => void) | null = null;

  server.on("connection", (socket: Socket) => {
    active.set(socket, 0);
    socket.once("close", () => active.delete(socket));
  });
  server.on("request", (req, res) => {
    const socket = req.socket;
    active.set(socket, (active.get(socket) ?? 0) + 1);
    inFlight += 1;
    if (draining && !res.headersSent) res.setHeader("Connection", "close");
    res.once("close", () => {
      inFlight -= 1;
      const left = (active.get(socket) ?? 1) - 1;
      active.set(socket, left);
      // A keep-alive connection that went idle during the shutdown is closed now.
      if (draining && left === 0) socket.end();
      if (inFlight === 0) onIdle?.();
    });
  });

  return {
    inFlight: () => inFlight,
    async drain(timeoutMs) {
      draining = true;
      // net.Server's close stops accepting; http.Server's would also drop idle
      // keep-alive connections at once, with a request perhaps unread on them.
      NetServer.prototype.close.call(server);
      const grace = new Promise<void>((resolve) => setTimeout(resolve, Math.min(IDLE_GRACE_MS, timeoutMs)));
      const allAnswered = new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        onIdle = () => {
          clearTimeout(timer);
          resolve(true);
        };
      });
      await grace;
      for (const [socket, requests] of active) if (requests === 0) socket.end();
      const answered = inFlight === 0 || (await allAnswered);
      if (!answered) for (const socket of active.keys()) socket.destroy();
      return answered;
    },
  };
}
