import { PassThrough } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { NonceContext } from "./csp-nonce";
import { loggablePath } from "./server/log-format";
import { logger } from "./server/logger.server";

const ABORT_DELAY = 5_000;
export const streamTimeout = ABORT_DELAY;

// Unknown URLs and wrong methods are answered with 404/405; they are not
// server errors, so they are not logged as such.
/** Data requests of client-side navigation carry the same data as pages. */
export function handleDataRequest(response: Response, { context }: { context: AppLoadContext }) {
  if (context.auth?.user) response.headers.set("Cache-Control", "no-store");
  return response;
}

export function handleError(error: unknown, { request, context }: { request: Request; context: AppLoadContext }) {
  if (request.signal.aborted || isRouteErrorResponse(error)) return;
  logger.error({ err: error, reqId: context.requestId, url: loggablePath(new URL(request.url).pathname) }, "unexpected error");
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce;
  // Signed-in pages show customer and personal data: no cache (browser or proxy) keeps them.
  if (loadContext.auth?.user) responseHeaders.set("Cache-Control", "no-store");
  // Bots and no-JS clients get the whole page at once; browsers stream.
  const waitForAll = isbot(request.headers.get("user-agent") ?? "");
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceContext.Provider>,
      {
        nonce,
        [waitForAll ? "onAllReady" : "onShellReady"]() {
          shellRendered = true;
          const body = new PassThrough();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(
            new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }),
          );
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) logger.error({ err: error, reqId: loadContext.requestId }, "rendering failed");
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}
