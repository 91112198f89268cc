/**
 * Ack-first scheduling. Slack wants every request acknowledged within 3 s; the work after the
 * acknowledgement (identity look-up, retrieval, the model) shares the one event loop with the
 * acknowledgements of requests still arriving. During a burst (a team all typing `/career ask`
 * after a meeting) that work would delay the acknowledgements behind it. So work after an
 * acknowledgement waits until requests stop arriving for a moment (`quietMs`), at most `maxDelayMs`,
 * and then starts one job per event-loop turn so that new requests are read in between.
 */
export interface AckFirstOptions {
  /** Start queued work once no new work arrived for this long (ms). */
  quietMs?: number;
  /** Never hold work longer than this (ms). */
  maxDelayMs?: number;
}

export class AckFirstQueue {
  private readonly pending: Array<() => void> = [];
  private timer?: NodeJS.Timeout;
  private oldestAt = 0;
  private readonly quietMs: number;
  private readonly maxDelayMs: number;

  constructor(options: AckFirstOptions = {}) {
    this.quietMs = options.quietMs ?? 20;
    this.maxDelayMs = options.maxDelayMs ?? 250;
  }

  /** Runs `work` once the burst of acknowledgements has passed; resolves or rejects with it. */
  run<T>(work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.pending.length === 0) this.oldestAt = Date.now();
      this.pending.push(() => {
        work().then(resolve, reject);
      });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    const waited = Date.now() - this.oldestAt;
    this.timer = setTimeout(() => this.drain(), Math.max(0, Math.min(this.quietMs, this.maxDelayMs - waited)));
  }

  private drain(): void {
    this.timer = undefined;
    const start = this.pending.shift();
    if (!start) return;
    start();
    if (this.pending.length > 0) {
      // One job per turn of the event loop: requests that arrived meanwhile are read first.
      this.oldestAt = Date.now();
      setImmediate(() => this.drain());
    }
  }

  /** Starts everything still queued (shutdown). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const start of this.pending.splice(0)) start();
  }
}
