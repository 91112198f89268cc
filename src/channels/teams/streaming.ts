/**
 * Teams' streaming protocol for 1:1 chats: typing activities carrying
 * `streamType: 'informative'` (a status line) or `'streaming'` (the text so far), each with an
 * increasing `streamSequence` and, after the first, the `streamId` Teams assigned to it; then
 * one `message` with `streamType: 'final'` and the whole text. Updates go out about once a
 * second (Teams throttles faster streams); if Teams refuses the stream (the person pressed
 * Stop, or streaming is not allowed here), the answer still arrives as an ordinary message.
 *
 * The informative status waits `statusDelayMs` before it opens a stream: once a stream is open,
 * its final message must keep the one-second spacing, so a status line sent for an answer that
 * is ready a few milliseconds later (offline mode, commands) cost every such turn a whole second.
 * The plain typing indicator the bot sends first covers that moment; a fast answer goes out as
 * one ordinary message, a slow one shows the status and streams.
 */
import type { Activity, Entity, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { TurnObserver } from '../../core/types';

export interface TeamsStreamOptions {
  /** Minimum time between two updates. */
  intervalMs?: number;
  /** How long an answer may take before the status line is shown (and the stream opened). */
  statusDelayMs?: number;
  logger: Logger;
  now?: () => number;
}

type StreamType = 'informative' | 'streaming' | 'final';

/** Informative messages may be at most 1000 characters. */
const MAX_INFORMATIVE = 1000;

export class TeamsStream {
  private streamId?: string;
  private sequence = 1;
  private text = '';
  private sentText = '';
  private lastSentAt = 0;
  private failed = false;
  private ended = false;
  private chain: Promise<void> = Promise.resolve();
  private pendingFlush?: NodeJS.Timeout;
  private pendingStatus?: NodeJS.Timeout;
  private readonly intervalMs: number;
  private readonly statusDelayMs: number;
  private readonly createdAt: number;
  private readonly now: () => number;

  constructor(
    private readonly context: TurnContext,
    private readonly options: TeamsStreamOptions,
  ) {
    this.intervalMs = options.intervalMs ?? 1000;
    this.statusDelayMs = options.statusDelayMs ?? 700;
    this.now = options.now ?? Date.now;
    this.createdAt = this.now();
  }

  /** True once any update reached Teams: the final reply must then close the stream. */
  get started(): boolean {
    return this.streamId !== undefined && !this.failed;
  }

  /** The observer the core calls during a slow turn. */
  observer(signal?: AbortSignal): TurnObserver {
    return {
      onStatus: (status) => this.informative(status),
      onToken: (chunk) => this.append(chunk),
      signal,
    };
  }

  informative(status: string): void {
    if (this.ended || this.failed || this.text) return; // once text flows, the status line is gone
    const line = status.slice(0, MAX_INFORMATIVE);
    const wait = this.createdAt + this.statusDelayMs - this.now();
    if (wait <= 0 || this.sequence > 1) {
      this.enqueue('informative', line);
      return;
    }
    // Not yet: the answer may be ready before anyone would read the status (the latest status wins).
    if (this.pendingStatus) clearTimeout(this.pendingStatus);
    this.pendingStatus = setTimeout(() => {
      this.pendingStatus = undefined;
      if (this.ended || this.failed || this.text) return;
      this.enqueue('informative', line);
    }, wait);
  }

  append(chunk: string): void {
    if (this.ended || this.failed) return;
    this.cancelStatus();
    this.text += chunk;
    this.scheduleFlush();
  }

  private cancelStatus(): void {
    if (this.pendingStatus) clearTimeout(this.pendingStatus);
    this.pendingStatus = undefined;
  }

  /**
   * Closes the stream with the final message (the whole answer, with attachments, entities and
   * channel data). Returns false when no stream is open, so the caller sends it normally.
   */
  async finish(final: Partial<Activity>): Promise<{ sent: boolean; id?: string }> {
    this.ended = true;
    this.cancelStatus();
    if (this.pendingFlush) clearTimeout(this.pendingFlush);
    await this.chain;
    if (!this.started) return { sent: false };
    await this.waitForInterval();
    const activity: Partial<Activity> = {
      ...final,
      type: 'message',
      text: final.text ?? (final.attachments?.length ? undefined : this.text),
      channelData: { ...(final.channelData as object | undefined), streamType: 'final', streamId: this.streamId },
      entities: [{ type: 'streaminfo', streamId: this.streamId, streamType: 'final' } as Entity, ...(final.entities ?? [])],
    };
    try {
      await this.context.sendActivity(activity);
      return { sent: true, id: this.streamId };
    } catch (error) {
      this.options.logger.warn({ err: error, channel: 'teams' }, 'final stream message refused; sending the answer as a message');
      return { sent: false };
    }
  }

  private scheduleFlush(): void {
    if (this.pendingFlush) return;
    const wait = Math.max(0, this.lastSentAt + this.intervalMs - this.now());
    this.pendingFlush = setTimeout(() => {
      this.pendingFlush = undefined;
      if (this.ended || this.failed || this.text === this.sentText) return;
      this.enqueue('streaming', this.text);
    }, wait);
  }

  private enqueue(streamType: Exclude<StreamType, 'final'>, text: string): void {
    this.chain = this.chain.then(() => this.send(streamType, text));
  }

  private async waitForInterval(): Promise<void> {
    const wait = this.lastSentAt + this.intervalMs - this.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }

  private async send(streamType: Exclude<StreamType, 'final'>, text: string): Promise<void> {
    if (this.failed || this.ended) return;
    await this.waitForInterval();
    if (this.failed || this.ended) return;
    const sequence = this.sequence++;
    const info: Record<string, unknown> = { streamType, streamSequence: sequence };
    if (this.streamId) info.streamId = this.streamId;
    try {
      this.lastSentAt = this.now();
      const response = await this.context.sendActivity({
        type: 'typing',
        text,
        channelData: info,
        entities: [{ type: 'streaminfo', ...info } as Entity],
      });
      if (streamType === 'streaming') this.sentText = text;
      if (!this.streamId) this.streamId = response?.id;
    } catch (error) {
      // Stop pressed (403), streaming not allowed, or too many updates: give up streaming quietly
      // and let the final answer go out as an ordinary message.
      this.failed = true;
      this.options.logger.info({ err: error, channel: 'teams' }, 'streaming stopped by Teams; the answer will be sent as a message');
    }
  }
}
