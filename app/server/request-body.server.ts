// Every request body is read through here. The limit counts bytes as they
// arrive, so a body without Content-Length (chunked) or with a false one is
// stopped at the limit too, and nothing past it is read or kept.

/** Plain forms (sign-in, names, notes, rule JSON) are small. */
export const MAX_FORM_BYTES = 64 * 1024;

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The request body is larger than ${limit} bytes.`);
  }
}

/** The 413 answer for a body over its limit. */
export function payloadTooLarge(message = "This request is too large."): Response {
  return new Response(message, { status: 413, statusText: "Payload Too Large" });
}

/** A running byte count that throws BodyTooLargeError once it passes `limit`. */
export class ByteBudget {
  private used = 0;
  constructor(readonly limit: number) {}

  get exceeded(): boolean {
    return this.used > this.limit;
  }

  spend(bytes: number): void {
    this.used += bytes;
    if (this.exceeded) throw new BodyTooLargeError(this.limit);
  }
}

// Body parsers wrap stream errors in their own, so the budget tells.
const budgets = new WeakMap<Request, ByteBudget>();

/**
 * The request with its body limited to `maxBytes`: a declared Content-Length
 * over the limit is refused before reading; otherwise reading the body fails
 * with BodyTooLargeError as soon as the count passes the limit. The rest of
 * the client's body is then left unread (the server closes the connection).
 */
export function limitBody(request: Request, maxBytes: number): Request {
  const declared = Number(request.headers.get("Content-Length") ?? "");
  if (Number.isFinite(declared) && declared > maxBytes) throw new BodyTooLargeError(maxBytes);
  if (!request.body) return request;
  const source = request.body.getReader();
  const budget = new ByteBudget(maxBytes);
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { done, value } = await source.read();
        if (done) return controller.close();
        try {
          budget.spend(value.byteLength);
        } catch (error) {
          // Not cancelled: cancelling would reset the connection before the 413 is sent.
          source.releaseLock();
          controller.error(error);
          return;
        }
        controller.enqueue(value);
      },
      cancel(reason) {
        return source.cancel(reason);
      },
    },
    // Pull only what the reader asks for, so nothing is read ahead of the count.
    { highWaterMark: 0 },
  );
  const limited = new Request(request.url, { method: request.method, headers: request.headers, body, duplex: "half", signal: request.signal } as RequestInit);
  budgets.set(limited, budget);
  return limited;
}

/** Runs `read` on the limited request; any failure after the limit tripped is a BodyTooLargeError. */
export async function readLimited<T>(request: Request, maxBytes: number, read: (limited: Request) => Promise<T>): Promise<T> {
  const limited = limitBody(request, maxBytes);
  try {
    return await read(limited);
  } catch (error) {
    if (error instanceof BodyTooLargeError || budgets.get(limited)?.exceeded) throw new BodyTooLargeError(maxBytes);
    throw error;
  }
}

/**
 * The whole body, at most `maxBytes`, counted as it arrives. Read straight
 * from the request's own stream: no second Request and stream around it,
 * which cost more than the rest of reading a small form.
 */
async function readBytes(request: Request, maxBytes: number): Promise<Buffer> {
  const declared = Number(request.headers.get("Content-Length") ?? "");
  if (Number.isFinite(declared) && declared > maxBytes) throw new BodyTooLargeError(maxBytes);
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const budget = new ByteBudget(maxBytes);
  const chunks: Uint8Array[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    try {
      budget.spend(value.byteLength);
    } catch (error) {
      // Not cancelled: cancelling would reset the connection before the 413 is sent.
      reader.releaseLock();
      throw error;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** The body as UTF-8 text (a byte order mark dropped, as Request.text() does), at most `maxBytes`. */
export async function readTextBody(request: Request, maxBytes: number): Promise<string> {
  return new TextDecoder().decode(await readBytes(request, maxBytes));
}

/** A form body (urlencoded or multipart), at most `maxBytes`. */
export async function readFormBody(request: Request, maxBytes = MAX_FORM_BYTES): Promise<FormData> {
  if (!(request.headers.get("Content-Type") ?? "").startsWith("application/x-www-form-urlencoded")) {
    return readLimited(request, maxBytes, (limited) => limited.formData());
  }
  // Most forms: parsed here as Request.formData() would parse them.
  const form = new FormData();
  for (const [name, value] of new URLSearchParams(await readTextBody(request, maxBytes))) form.append(name, value);
  return form;
}
