// A simulated person's browser: cookies, the CSRF token, and the requests a
// hydrated Remix page makes (single-fetch `.data` requests, decoded with the
// same turbo-stream format the client runtime reads). Each request goes to
// the next app instance in turn, so one session is served by all of them.
import { decode } from "turbo-stream";
import type { Metrics } from "./metrics";

export class RequestFailed extends Error {
  constructor(
    readonly route: string,
    readonly status: number | null,
    message: string,
    /** True when the request never reached a server (nothing can have changed). */
    readonly notSent = false,
  ) {
    super(message);
  }
}

/** The app instances a rehearsal talks to, taken in turn. */
export class Instances {
  private turn = 0;
  private readonly downUntil = new Map<string, number>();
  /** Requests sent to each instance (the report shows that every instance took its share). */
  readonly sent = new Map<string, number>();

  constructor(readonly urls: readonly string[]) {
    if (urls.length === 0) throw new Error("No app instance to talk to.");
  }

  next(): string {
    const now = Date.now();
    for (let i = 0; i < this.urls.length; i++) {
      const url = this.urls[this.turn++ % this.urls.length]!;
      if ((this.downUntil.get(url) ?? 0) <= now) return this.counted(url);
    }
    return this.counted(this.urls[this.turn++ % this.urls.length]!);
  }

  private counted(url: string): string {
    this.sent.set(url, (this.sent.get(url) ?? 0) + 1);
    return url;
  }

  /** An instance that refused a connection is skipped for a moment. */
  markDown(url: string, ms = 500) {
    this.downUntil.set(url, Date.now() + ms);
  }
}

export interface DataResult<T = unknown> {
  status: number;
  data: T | null;
  /** Where the server sent the page (a redirect), if it did. */
  redirect: string | null;
}

type Plugin = (type: string, ...rest: unknown[]) => { value: unknown } | undefined;

const plugins: Plugin[] = [
  (type, ...rest) => {
    if (type === "SingleFetchRedirect") return { value: { redirect: rest[0] } };
    if (type === "ErrorResponse") return { value: { errorResponse: { data: rest[0], status: rest[1] } } };
    if (type === "SanitizedError") return { value: { error: rest[1] } };
    return undefined;
  },
];

async function decodeBody(body: ReadableStream<Uint8Array>): Promise<unknown> {
  const decoded = await decode(body, { plugins: plugins as never });
  await decoded.done;
  return decoded.value;
}

const CONNECTION_REFUSED = /ECONNREFUSED|connect ECONNREFUSED/;

/** Statuses that mean the instance (not the request) failed: try the next instance. */
const INSTANCE_FAILED = new Set([502, 503, 504]);

export class SimBrowser {
  private readonly cookies = new Map<string, string>();
  private csrf: string | null = null;

  constructor(
    private readonly instances: Instances,
    private readonly metrics: Metrics,
    /** Tries of one request when the instance is down before giving up (spread over ~ this many x 250 ms). */
    private readonly patience = 40,
  ) {}

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  private remember(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const index = pair!.indexOf("=");
      const name = pair!.slice(0, index).trim();
      const value = pair!.slice(index + 1).trim();
      if (value === "" || attributes.some((a) => /max-age=0\b/i.test(a.trim()))) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  /**
   * One HTTP request, timed under `route`. A refused connection (the
   * instance is down) is retried on the next instance; any other failure of
   * a request that is not `idempotent` is thrown, since it may have been done.
   */
  async fetch(route: string, path: string, init: RequestInit & { idempotent?: boolean } = {}): Promise<Response> {
    for (let attempt = 1; ; attempt++) {
      const base = this.instances.next();
      const headers = new Headers(init.headers);
      if (this.cookies.size) headers.set("Cookie", this.cookieHeader());
      const started = performance.now();
      try {
        const answer = await fetch(new URL(path, base), { ...init, headers, redirect: "manual", signal: AbortSignal.timeout(30_000) });
        // The whole body, inside the timing and the error handling: what a person waits for.
        const body = await answer.arrayBuffer();
        const response = new Response(answer.status === 204 || answer.status === 304 ? null : body, { status: answer.status, headers: answer.headers });
        this.metrics.record(route, performance.now() - started, response.status);
        this.remember(response);
        if (response.status >= 500) {
          const text = await response.text().catch(() => "");
          this.metrics.error(route, `${response.status} from ${base}: ${text.slice(0, 120)}`);
          if (INSTANCE_FAILED.has(response.status) && attempt < this.patience) {
            this.instances.markDown(base);
            await pause(250);
            continue;
          }
          if (init.idempotent && attempt < this.patience) {
            await pause(250);
            continue;
          }
          throw new RequestFailed(route, response.status, `${route}: ${response.status}`);
        }
        return response;
      } catch (error) {
        if (error instanceof RequestFailed) throw error;
        const cause = error instanceof Error ? `${error.message} ${String((error as { cause?: unknown }).cause ?? "")}` : String(error);
        const notSent = CONNECTION_REFUSED.test(cause);
        this.metrics.error(route, `${notSent ? "connection refused" : "request failed"} at ${base}: ${cause.slice(0, 120)}`);
        if (notSent) this.instances.markDown(base);
        if ((notSent || init.idempotent) && attempt < this.patience) {
          await pause(250);
          continue;
        }
        throw new RequestFailed(route, null, `${route}: ${cause}`, notSent);
      }
    }
  }

  /** A page's data, as the client runtime loads it on navigation. */
  async load<T>(route: string, path: string, routeId: string): Promise<DataResult<T>> {
    const url = new URL(path, "http://x");
    const dataPath = `${url.pathname === "/" ? "/_root" : url.pathname.replace(/\/$/, "")}.data`;
    const params = new URLSearchParams(url.search);
    params.set("_routes", routeId);
    const response = await this.fetch(`GET ${route}`, `${dataPath}?${params}`, { idempotent: true });
    const decoded = (await decodeBody(response.body!)) as Record<string, unknown>;
    const redirect = (decoded.redirect as { redirect?: string } | undefined)?.redirect ?? null;
    const entry = decoded[routeId] as { data?: T; error?: unknown } | undefined;
    return { status: response.status, data: entry?.data ?? null, redirect };
  }

  /** Signed-out pages use a double-submit token; signed in, it is derived from the session. */
  async csrfToken(refresh = false): Promise<string> {
    if (this.csrf && !refresh) return this.csrf;
    const root = await this.load<{ csrfToken: string }>("/ (root data)", "/login", "root");
    if (!root.data?.csrfToken) throw new RequestFailed("root", root.status, "no CSRF token in the root data");
    this.csrf = root.data.csrfToken;
    return this.csrf;
  }

  /** Submits a form the way a hydrated page does (an action over single fetch). */
  async submit<T>(route: string, path: string, fields: Record<string, string | string[]>, options: { idempotent?: boolean } = {}): Promise<DataResult<T>> {
    const body = new URLSearchParams();
    body.append("csrf", await this.csrfToken());
    for (const [key, value] of Object.entries(fields)) for (const item of Array.isArray(value) ? value : [value]) body.append(key, item);
    const url = new URL(path, "http://x");
    const response = await this.fetch(`POST ${route}`, `${url.pathname.replace(/\/$/, "")}.data${url.search}`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body,
      idempotent: options.idempotent,
    });
    return this.decodeAction<T>(response);
  }

  /** A file upload (multipart), as the enrolment import form posts it. */
  async upload<T>(route: string, path: string, fields: Record<string, string>, file: { name: string; type: string; content: string }): Promise<DataResult<T>> {
    const form = new FormData();
    form.append("csrf", await this.csrfToken());
    for (const [key, value] of Object.entries(fields)) form.append(key, value);
    form.append("file", new Blob([file.content], { type: file.type }), file.name);
    const response = await this.fetch(`POST ${route}`, `${path.replace(/\/$/, "")}.data`, { method: "POST", body: form });
    return this.decodeAction<T>(response);
  }

  private async decodeAction<T>(response: Response): Promise<DataResult<T>> {
    if (response.status === 204 || !response.body) return { status: response.status, data: null, redirect: null };
    const decoded = (await decodeBody(response.body)) as { data?: T; redirect?: string; error?: unknown };
    return { status: response.status, data: decoded.data ?? null, redirect: decoded.redirect ?? null };
  }

  /** A JSON resource route (gestures, the intake API). */
  async json<T>(route: string, path: string, body: unknown, options: { form?: boolean; bearer?: string; idempotent?: boolean } = {}): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = { Accept: "application/json" };
    let payload: BodyInit;
    if (options.form) {
      const form = new URLSearchParams({ csrf: await this.csrfToken(), ...(body as Record<string, string>) });
      headers["Content-Type"] = "application/x-www-form-urlencoded";
      payload = form;
    } else {
      headers["Content-Type"] = "application/json";
      payload = JSON.stringify(body);
    }
    if (options.bearer) headers.Authorization = `Bearer ${options.bearer}`;
    const response = await this.fetch(`POST ${route}`, path, { method: "POST", headers, body: payload, idempotent: options.idempotent });
    const text = await response.text();
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = { text };
    }
    return { status: response.status, body: parsed as T };
  }

  /** After signing in, the token belongs to the new session. */
  forgetCsrf() {
    this.csrf = null;
  }
}

export const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));
