import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import helmet from "helmet";
import { secureCookies } from "~/auth/secrets.server";
import { urlTextProblem } from "~/forms/text-rule";
import { configuredPublicOrigin } from "./public-origin.server";
import { loadContextFor } from "./request-context.server";

/** Browsers only need these; Remix would run a route's action for PUT, PATCH and DELETE too. */
const ALLOWED_METHODS = ["GET", "HEAD", "POST"];

function nonceOf(res: ServerResponse): string {
  return (res as express.Response).locals.cspNonce as string;
}

export function createHttpApp(build: ServerBuild, root: string, options: { publicOrigin?: URL | null } = {}) {
  const publicOrigin = options.publicOrigin === undefined ? configuredPublicOrigin() : options.publicOrigin;
  const app = express();
  app.disable("x-powered-by");
  app.use((req, res, next) => {
    if (ALLOWED_METHODS.includes(req.method)) return next();
    res.status(405).set("Allow", ALLOWED_METHODS.join(", ")).type("text/plain").send("Method not allowed.");
  });
  app.use((req, res, next) => {
    // Query and route parameters follow the same text rule as form fields: a 400, not a database error.
    const [pathname = "", search = ""] = req.originalUrl.split(/\?(.*)/s);
    const problem = urlTextProblem(pathname, search);
    if (!problem) return next();
    res.status(400).type("text/plain").send(problem);
  });
  app.use((req, res, next) => {
    // Forwarded headers are not trusted (a client can send them); the public
    // origin, when configured, is the app's address whatever Host the proxy sent.
    delete req.headers["x-forwarded-host"];
    if (publicOrigin) {
      req.headers.host = publicOrigin.host;
      Object.defineProperty(req, "protocol", { value: publicOrigin.protocol.slice(0, -1), configurable: true });
    }
    next();
  });
  app.use((req, res, next) => {
    // A browser names the page a form was posted from; another site's page is refused here
    // (Remix itself would throw a 500 on it).
    const origin = req.get("Origin");
    if (req.method === "GET" || req.method === "HEAD" || origin === undefined) return next();
    const expected = `${req.protocol}://${req.get("Host")}`;
    if (origin === expected) return next();
    res
      .status(403)
      .type("text/plain")
      .send(
        `Refused: this form was sent from another site (${origin.slice(0, 100)}), not from Surge at ${expected}. ` +
          "If Surge runs behind a proxy, its operator sets SURGE_PUBLIC_ORIGIN to the public address.",
      );
  });
  // Behind a reverse proxy, req.ip (the sign-in limit's client address) is
  // the proxy's unless Express is told which hops to trust.
  const trustProxy = process.env.SURGE_TRUST_PROXY;
  if (trustProxy) app.set("trust proxy", /^\d+$/.test(trustProxy) ? Number(trustProxy) : trustProxy);
  app.use(compression());
  // Security headers from helmet. The CSP allows only Surge's own files and
  // the inline scripts Remix renders with this response's nonce (passed to
  // <Scripts>/<ScrollRestoration> through the load context). HSTS only when
  // cookies are Secure, i.e. Surge is served over HTTPS.
  app.use((_req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString("base64");
    next();
  });
  const secure = secureCookies();
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          // No 'unsafe-eval': training modules reach the page as data (a syntax tree), not as code to evaluate.
          scriptSrc: ["'self'", (_req, res) => `'nonce-${nonceOf(res)}'`],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", "data:"],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          ...(secure ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      strictTransportSecurity: secure ? { maxAge: 365 * 24 * 3600, includeSubDomains: true } : false,
      referrerPolicy: { policy: "same-origin" },
      xFrameOptions: { action: "deny" },
    }),
  );
  // A body refused part-way (413, see request-body.server.ts) is left unread:
  // close the connection after the answer rather than read the rest.
  app.use((req, res, next) => {
    res.on("finish", () => {
      if (!req.complete) req.socket.end();
    });
    next();
  });
  // Fingerprinted assets can be cached for a year; the rest briefly.
  app.use("/build", express.static(path.join(root, "public/build"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.join(root, "public"), { maxAge: "1h" }));
  app.all(
    "*",
    createRequestHandler({
      build,
      mode: process.env.NODE_ENV,
      getLoadContext: async (req, res) => {
        const context = await loadContextFor(req.headers.cookie, req.ip ?? null);
        if (context.auth.setCookie) res.append("Set-Cookie", context.auth.setCookie);
        return { ...context, cspNonce: nonceOf(res) };
      },
    }),
  );
  return app;
}
