// Drives the real server build the way a browser would: cookies, the CSRF
// token from the page, form posts. No network: requests go straight to the
// Remix handler with the same load context the HTTP server builds.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { loadContextFor } from "../../app/server/request-context.server";

const root = path.resolve(import.meta.dirname, "../..");
const build = (await import(pathToFileURL(path.join(root, "build/index.js")).href)) as ServerBuild;
const handler = createRequestHandler(build, "production");

export const ORIGIN = "http://surge.test";

export async function dispatch(request: Request, clientAddress: string | null = null): Promise<Response> {
  const context = await loadContextFor(request.headers.get("Cookie"), clientAddress);
  const response = await handler(request, context);
  if (context.auth.setCookie) {
    const headers = new Headers(response.headers);
    headers.append("Set-Cookie", context.auth.setCookie);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }
  return response;
}

let visitors = 0;

export class Visitor {
  readonly cookies = new Map<string, string>();
  /** Each visitor is its own browser on its own address, unless a test says otherwise. */
  clientAddress: string;

  /**
   * `send` answers the request: the in-process handler by default, or a real
   * HTTP server (see app-process.ts).
   */
  constructor(
    clientAddress?: string,
    private readonly send?: (request: Request) => Promise<Response>,
  ) {
    visitors += 1;
    this.clientAddress = clientAddress ?? `198.18.${Math.floor(visitors / 250) % 250}.${(visitors % 250) + 1}`;
  }

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  protected remember(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const index = pair!.indexOf("=");
      const name = pair!.slice(0, index).trim();
      const value = pair!.slice(index + 1).trim();
      const expired = attributes.some((a) => /max-age=0\b/i.test(a.trim())) || value === "";
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(pathname: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("Cookie", this.cookieHeader());
    const request = new Request(new URL(pathname, ORIGIN), { ...init, headers, redirect: "manual" });
    const response = await (this.send ? this.send(request) : dispatch(request, this.clientAddress));
    this.remember(response);
    return response;
  }

  get(pathname: string) {
    return this.request(pathname);
  }

  /** The CSRF token a page would carry in its forms. */
  async csrfToken(): Promise<string> {
    for (const page of ["/login", "/"]) {
      const html = await (await this.get(page)).text();
      const match = /name="csrf" value="([^"]+)"/.exec(html);
      if (match) return match[1]!;
    }
    throw new Error("No CSRF token found on /login or /");
  }

  /** Posts a form as the browser would, with the page's CSRF token unless given. */
  async post(pathname: string, fields: Record<string, string | string[]>, options: { csrf?: string | null } = {}) {
    const body = new URLSearchParams();
    const csrf = options.csrf === undefined ? await this.csrfToken() : options.csrf;
    if (csrf !== null) body.append("csrf", csrf);
    for (const [key, value] of Object.entries(fields)) {
      for (const item of Array.isArray(value) ? value : [value]) body.append(key, item);
    }
    return this.request(pathname, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body,
    });
  }

  async signIn(email: string, password: string): Promise<Response> {
    return this.post("/login", { email, password });
  }
}

export async function signedIn(email: string, password: string): Promise<Visitor> {
  const visitor = new Visitor();
  const response = await visitor.signIn(email, password);
  if (response.status !== 302) throw new Error(`Sign-in as ${email} failed with ${response.status}`);
  return visitor;
}

/** The same visitor against a real server over HTTP (app/server/start.ts on a port). */
export class HttpVisitor extends Visitor {
  constructor(readonly baseUrl: string) {
    super();
  }

  override async request(pathname: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("Cookie", this.cookieHeader());
    const response = await fetch(new URL(pathname, this.baseUrl), { ...init, headers, redirect: "manual" });
    this.remember(response);
    return response;
  }
}
