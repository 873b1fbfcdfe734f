import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { loadContextFor } from "./request-context.server";

export function createHttpApp(build: ServerBuild, root: string) {
  const app = express();
  app.disable("x-powered-by");
  // Behind a reverse proxy, req.ip (the sign-in limit's client address) is
  // the proxy's unless Express is told which hops to trust.
  const trustProxy = process.env.SURGE_TRUST_PROXY;
  if (trustProxy) app.set("trust proxy", /^\d+$/.test(trustProxy) ? Number(trustProxy) : trustProxy);
  app.use(compression());
  app.use((_req, res, next) => {
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "same-origin");
    res.setHeader("X-Frame-Options", "DENY");
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
        return context;
      },
    }),
  );
  return app;
}
