import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { loadContextFor } from "./request-context.server";

export function createHttpApp(build: ServerBuild, root: string) {
  const app = express();
  app.disable("x-powered-by");
  app.use(compression());
  // A body refused part-way (413, see request-body.server.ts) is left unread:
  // close the connection after the answer rather than read the rest.
  app.use((req, res, next) => {
    res.on("finish", () => {
      if (!req.complete) req.socket.end();
    });
    next();
  });
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
        const context = await loadContextFor(req.headers.cookie);
        if (context.auth.setCookie) res.append("Set-Cookie", context.auth.setCookie);
        return context;
      },
    }),
  );
  return app;
}
