import express from "express";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Config } from "./config.js";
import type { AppContext } from "./context.js";
import { openStore } from "./store/store.js";
import { TextStore } from "./store/text-store.js";
import { RoomManager } from "./collab/rooms.js";
import { attachCollab } from "./collab/server.js";
import { TextHooks } from "./commands/hooks.js";
import { Guards } from "./commands/guards.js";
import { apiNotFound, errorHandler } from "./http/errors.js";
import { authenticate } from "./http/auth.js";
import { sessionRoutes } from "./routes/session.js";
import { meetingRoutes } from "./routes/meetings.js";
import { meetingSetupRoutes } from "./meetings/routes.js";
import { documentRoutes } from "./routes/documents.js";
import { ownerRoutes } from "./cluster/owner-route.js";
import { clusterNodeOf, joinCluster } from "./cluster/join.js";
import { checkForwarded, forwardToOwner } from "./cluster/forward.js";
import { FEATURES } from "./features.js";
import { signInAuditOf } from "./auth/signin-audit.js";
import { setUpAuditKey } from "./audit/head-seal.js";
import { fairShare } from "./http/fair.js";
import { refuseNul } from "./http/plain-text.js";
import { localLimits } from "./auth/limits.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
/** Where `npm start` puts the editor bundle. */
const EDITOR_DIST = join(ROOT, "editor", "dist");

/**
 * The Content Security Policy of every answer, the editor page first: scripts only from
 * this server (no inline script, no eval), so text that slipped past the schema could not
 * run; connections (API, websockets) only to this server; no plugins, no framing, no
 * <base> rewriting. Styles may be inline: ProseMirror and y-prosemirror set `style`
 * attributes (cursor colours, indentation); a style cannot run code.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** A running Accord server. */
export interface Accord {
  ctx: AppContext;
  server: Server;
  /** Base URL, e.g. http://127.0.0.1:8080. */
  url: string;
  /** Stops accepting, flushes and compacts every open document, closes the database. */
  close(): Promise<void>;
}

/** Builds the context: database (migrated), text store, rooms, feature hooks. */
export function createContext(config: Config): AppContext {
  const db = openStore(config);
  setUpAuditKey(db, config);
  const ctx = { config, db, texts: new TextStore(db), hooks: new TextHooks(), guards: new Guards(), ownership: null, relays: null, limits: localLimits(config) } as Omit<AppContext, "rooms"> & {
    rooms?: RoomManager;
  };
  ctx.rooms = new RoomManager(ctx as AppContext);
  if (config.redisUrl !== null) joinCluster(ctx as AppContext);
  for (const feature of FEATURES) feature.hooks?.(ctx as AppContext);
  return ctx as AppContext;
}

/** The express application: JSON API, then the editor's static files. */
function createApp(ctx: AppContext): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("query parser", "simple");
  // req.ip and req.protocol follow the same proxies the rest of the server trusts.
  app.set("trust proxy", ctx.config.trustProxy);
  app.use((_req, res, next) => {
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "same-origin");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    next();
  });
  if (ctx.config.log === "debug") app.use((req, _res, next) => (console.log(req.method, req.url), next()));
  // Names the process that answered: behind a load balancer, operators see where they landed.
  app.get("/healthz", (_req, res) => {
    res.json({ ok: true, process: ctx.config.processName, pid: process.pid });
  });
  // Every API request takes its turn: one client's flood cannot starve others. The editor's
  // static files do not: before sign-in every browser behind one address is one client,
  // and a page's scripts and styles must not wait in line behind each other's.
  app.use("/api", fairShare(ctx));
  app.use("/api", express.json({ limit: "2mb" }));
  app.use("/api", refuseNul);
  if (ctx.ownership !== null) app.use("/api", checkForwarded(ctx));
  app.use(authenticate(ctx));
  app.use(sessionRoutes(ctx));
  app.use(meetingRoutes(ctx));
  app.use(meetingSetupRoutes(ctx));
  app.use(documentRoutes(ctx));
  app.use(ownerRoutes(ctx));
  for (const feature of FEATURES) if (feature.routes) app.use(feature.routes(ctx));
  app.use("/api", apiNotFound);
  if (existsSync(EDITOR_DIST)) {
    app.use(express.static(EDITOR_DIST, { index: "index.html", maxAge: "1h", setHeaders: noCacheHtml }));
    // The editor routes in the browser (/documents/…): any other GET gets the page.
    app.get(/^\/(?!api\/|collab\/).*/, (_req, res) => {
      res.setHeader("Cache-Control", "no-cache");
      res.sendFile(join(EDITOR_DIST, "index.html"));
    });
  }
  if (ctx.ownership !== null) app.use(forwardToOwner(ctx));
  app.use(errorHandler);
  return app;
}

function noCacheHtml(res: express.Response, path: string): void {
  if (path.endsWith(".html")) res.setHeader("Cache-Control", "no-cache");
}

/** Starts Accord on config.port (0: any free port) and resolves once it listens. */
export async function startAccord(config: Config, ctx: AppContext = createContext(config)): Promise<Accord> {
  const app = createApp(ctx);
  const server = createServer(app);
  server.keepAliveTimeout = 30_000;
  // A request Node refuses before express sees it (a URL or headers over the limit, a
  // malformed request line) gets a JSON reason like every other refusal, not an empty 431.
  server.on("clientError", (error: NodeJS.ErrnoException, socket) => {
    if (error.code === "ECONNRESET" || !socket.writable) {
      socket.destroy();
      return;
    }
    const tooLarge = error.code === "HPE_HEADER_OVERFLOW";
    const body = JSON.stringify({ error: tooLarge ? "the request's URL or headers are too large" : "malformed HTTP request" });
    socket.end(
      `HTTP/1.1 ${tooLarge ? "431 Request Header Fields Too Large" : "400 Bad Request"}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  await clusterNodeOf(ctx)?.start();
  const collab = attachCollab(ctx, server);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host;
  let closed = false;
  return {
    ctx,
    server,
    url: `http://${host}:${address.port}`,
    async close() {
      if (closed) return;
      closed = true;
      collab.close();
      // Before the rooms close: the audit write runs as a command, which flushes them first.
      signInAuditOf(ctx).flush();
      // Flushed and compacted while this process still holds the leases; then they are released.
      ctx.rooms.closeAll();
      clusterNodeOf(ctx)?.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      ctx.db.close();
    },
  };
}
