import { Server } from "@hocuspocus/server";

/**
 * Hocuspocus 4 with its defaults (updates of one event-loop turn merged and encoded once),
 * no storage and no authentication: only the collaboration server is measured. Started by
 * the bench in a process of its own on 127.0.0.1:$PORT.
 */
const port = Number(process.env.PORT);
const server = new Server({ port, address: "127.0.0.1", quiet: true, stopOnSignals: true } as never);
await server.listen();
console.log(`listening on ${port}`);
