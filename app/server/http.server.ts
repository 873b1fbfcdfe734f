import { randomBytes, randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import helmet from "helmet";
import { pinoHttp } from "pino-http";
import { secureCookies } from "~/auth/secrets.server";
import { urlTextProblem } from "~/forms/text-rule";
import type { HealthChecks } from "./health.server";
import { loggablePath } from "./log-format";
import { logger } from "./logger.server";
import { configuredPublicOrigin } from "./public-origin.server";
import { loadContextFor } from "./request-context.server";

/** Browsers only need these; Remix would run a route's action for PUT, PATCH and DELETE too. */
const ALLOWED_METHODS = ["GET", "HEAD", "POST"];

function nonceOf(res: ServerResponse): string {
  return (res as express.Response).locals.cspNonce as string;
}

/** A request id a proxy in front may pass on (X-Request-Id); anything else gets a new one. */
const FORWARDED_REQUEST_ID = /^[\w.:-]{8,100}$/;
const PROBES = new Set(["/healthz", "/readyz"]);

export function createHttpApp(
  build: ServerBuild,
  root: string,
  options: { publicOrigin?: URL | null; health?: HealthChecks } = {},
) {
  const publicOrigin = options.publicOrigin === undefined ? configuredPublicOrigin() : options.publicOrigin;
  const app = express();
  app.disable("x-powered-by");
  // One log line per request (method, path, status, time) with its request id,
  // which the response carries too (X-Request-Id) so a user's report can be
  // found in the log. Probes are not logged: a balancer sends them every few seconds.
  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const forwarded = req.headers["x-request-id"];
        const id = typeof forwarded === "string" && FORWARDED_REQUEST_ID.test(forwarded) ? forwarded : randomUUID();
        res.setHeader("X-Request-Id", id);
        return id;
      },
      // Every line logged for a request (req.log) carries its reqId.
      quietReqLogger: true,
      autoLogging: { ignore: (req) => PROBES.has(req.url?.split("?")[0] ?? "") },
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? "error" : "info"),
      customSuccessMessage: () => "request",
      customErrorMessage: () => "request failed",
      serializers: {
        req: (req: { method?: string; url?: string }) => ({ method: req.method, url: loggablePath(req.url) }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use((req, res, next) => {
    if (ALLOWED_METHODS.includes(req.method)) return next();
    res.status(405).set("Allow", ALLOWED_METHODS.join(", ")).type("text/plain").send("Method not allowed.");
  });
  // Liveness: the process answers. Readiness: the database answers, the
  // migrations are applied and the instance is not shutting down.
  app.get("/healthz", (_req, res) => {
    res.set("Cache-Control", "no-store").json({ status: "ok" });
  });
  const health = options.health;
  if (health) {
    app.get("/readyz", (_req, res, next) => {
      health.readiness().then((readiness) => {
        res.status(readiness.ready ? 200 : 503).set("Cache-Control", "no-store").json({ status: readiness.ready ? "ready" : "not ready", ...readiness.checks });
      }, next);
    });
  }
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
        return { ...context, cspNonce: nonceOf(res), requestId: String(req.id) };
      },
    }),
  );
  return app;
}
