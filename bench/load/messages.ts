import type { Dialect, ItemId } from "./wire.js";

/** One light writer: who it is and where in the text it types. */
export interface WriterSpec {
  /** Its Yjs client id (fresh for every run). */
  client: number;
  /** Session cookie (Accord), or null. */
  cookie: string | null;
  /** The character its first insertion goes after. */
  origin: ItemId;
  /** The item to the right of its place, or null at the end of the paragraph. */
  right: ItemId | null;
  /** Offset of its sends within each period, ms, so writers are spread evenly. */
  phase: number;
  /** HTTP path of its upgrade when not the run's one (several documents at once). */
  path?: string;
}

/** What a writer process is told to do. */
export interface WritersConfig {
  host: string;
  port: number;
  /** HTTP path of the upgrade. */
  path: string;
  dialect: Dialect;
  docName: string;
  writers: WriterSpec[];
  /** Read-only connections that only listen (cookies, or null). */
  watchers: Array<string | null>;
  /** Updates (and cursor moves) per second per writer. */
  rate: number;
  /**
   * Writers behave as the stock client does when the server goes away: a closed socket
   * reconnects (200 ms, doubling up to 2.5 s, as y-websocket), and every sync step 1 the
   * server sends (a greeting, on connecting or from a document's new owner) is answered
   * with everything the writer typed, as one update: the server keeps what it lacks.
   */
  resend?: boolean;
}

/** What a probe process is told to do. */
export interface ProbesConfig {
  kind: "y-websocket" | "hocuspocus";
  /** The provider's server URL (y-websocket: without the room; hocuspocus: the whole URL). */
  serverUrl: string;
  docName: string;
  cookie: string | null;
  count: number;
  /** Several documents at once: `count` probes on each of these (instead of `docName`). */
  docNames?: string[];
  /** For servers without storage: the initial document, pushed by the first probe (base64). */
  seed: string | null;
}

export type ToWriters =
  | { type: "config"; config: WritersConfig }
  | { type: "go"; startAt: number; durationMs: number }
  | { type: "exit" };

export type FromWriters =
  | { type: "ready"; failed: number }
  /**
   * `closes`: how many sockets the server closed with each close frame (`code reason`, "(none)" when one ended without a frame);
   * `closedAt`: when each writer's socket first closed during the run (`now()`), for those whose did.
   */
  | { type: "done"; sent: Record<string, number[]>; closed: number; closes: Record<string, number>; closedAt: Record<string, number> };

export type ToProbes =
  | { type: "config"; config: ProbesConfig }
  /** The writers to time; with several documents, the index of each one's document in `docNames`. */
  | { type: "track"; clients: number[]; docs?: number[] }
  /** Open the document with one more stock client (sent to a process of its own, with the config). */
  | { type: "join"; config: ProbesConfig }
  | { type: "finish"; expected: Record<string, number>; timeoutMs: number }
  | { type: "exit" };

export type FromProbes =
  | { type: "ready"; state: string }
  | { type: "joined"; ms: number; bytes: number }
  | { type: "finished"; arrivals: Array<Record<string, number[]>>; digests: string[]; complete: boolean[]; state: string };
