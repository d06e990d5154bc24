/** An event of the live inbox stream. */
export interface InboxEvent {
  type: string;
  data: any;
}

/** A live inbox stream being read. */
export interface InboxStream {
  /** Every event heard so far. */
  events: InboxEvent[];
  /** The answer's content type (once it came). */
  readonly contentType: string;
  /** Resolves once the stream's first comment line arrived (the server registered it). */
  opened: Promise<void>;
  /** Resolves when the stream ends. */
  ended: Promise<void>;
  /** The first event (already heard or still to come) that matches. */
  waitFor(match: (e: InboxEvent) => boolean): Promise<InboxEvent>;
  /** Stops reading. */
  close(): void;
}

/** A member's live inbox stream of a meeting (server-sent events), read as a browser's EventSource would. */
export function openInboxStream(baseUrl: string, meetingId: string, cookie: string): InboxStream {
  const events: Array<{ type: string; data: any }> = [];
  const waiters: Array<() => void> = [];
  const controller = new AbortController();
  let contentType = "";
  let opened!: () => void;
  const openedPromise = new Promise<void>((resolve) => (opened = resolve));
  const ended = (async () => {
    const res = await fetch(`${baseUrl}/api/meetings/${meetingId}/notifications/live`, { headers: { cookie }, signal: controller.signal });
    contentType = res.headers.get("content-type") ?? "";
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        if (buffer.startsWith(":")) opened();
        let cut: number;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const data = block.split("\n").filter((l) => l.startsWith("data: ")).map((l) => l.slice(6)).join("\n");
          if (data) events.push(JSON.parse(data));
          for (const w of waiters.splice(0)) w();
        }
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    }
  })();
  return {
    events,
    get contentType() {
      return contentType;
    },
    opened: openedPromise,
    ended,
    /** The first event (already heard or still to come) that matches. */
    async waitFor(match: (e: { type: string; data: any }) => boolean): Promise<{ type: string; data: any }> {
      for (;;) {
        const found = events.find(match);
        if (found) return found;
        await Promise.race([new Promise<void>((resolve) => waiters.push(resolve)), ended.then(() => Promise.reject(new Error("the stream ended")))]);
      }
    },
    close: () => controller.abort(),
  };
}
