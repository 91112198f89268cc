/** A ProactiveSender that records what it would send, with scriptable failures, for scheduler tests. */
import type { ChannelKind, DeliveryResult, ProactiveSender, ProactiveSendOptions, ProactiveTarget, Reply } from '../../src/core/types';

export interface SentMessage {
  channel: ChannelKind;
  target: ProactiveTarget;
  replies: Reply[];
  key?: string;
}

export class RecordingSender implements ProactiveSender {
  readonly sent: SentMessage[] = [];
  /** Results to return for the next sends, in order (then ok). */
  readonly script: DeliveryResult[] = [];

  constructor(readonly channel: ChannelKind = 'slack') {}

  async send(target: ProactiveTarget, replies: Reply[], options?: ProactiveSendOptions): Promise<DeliveryResult> {
    const scripted = this.script.shift();
    if (scripted && !scripted.ok) return scripted;
    this.sent.push({ channel: this.channel, target, replies, key: options?.idempotencyKey });
    return { ok: true, messageRef: String(this.sent.length) };
  }

  to(externalId: string): SentMessage[] {
    return this.sent.filter((m) => m.target.externalId === externalId);
  }

  clear(): void {
    this.sent.length = 0;
  }
}
