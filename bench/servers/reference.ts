import { createServer } from "node:http";
import { WebSocketServer } from "ws";
import { setupWSConnection } from "@y/websocket-server/utils";

/**
 * The reference server, `@y/websocket-server@0.1.1`, as its own `server.js` runs it: one
 * `setupWSConnection` per socket, the room named by the URL path. Started by the bench in
 * a process of its own on 127.0.0.1:$PORT.
 */
const port = Number(process.env.PORT);
const http = createServer((_req, res) => {
  res.writeHead(200, { "content-type": "text/plain" });
  res.end("ok");
});
const wss = new WebSocketServer({ noServer: true });
wss.on("connection", (ws, req) => setupWSConnection(ws, req));
http.on("upgrade", (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req)));
http.listen(port, "127.0.0.1", () => console.log(`listening on ${port}`));
