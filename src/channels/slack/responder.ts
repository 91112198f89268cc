/**
 * Delivers the core's replies to the place a turn came from, the way Slack allows there:
 * - assistant threads and channel threads: streamed (chat.startStream/appendStream/stopStream via
 *   Bolt's `sayStream`), with `setStatus` while thinking;
 * - a top-level DM (no thread, so no streaming): posted, then updated while tokens arrive (≤ 1/s);
 * - a slash command: ephemeral through its response_url (a "thinking" note replaced by the answer);
 * - a button: replaces the original message when asked, else answers beside it;
 * - private replies in a shared channel: ephemeral to the person; files: to the person's DM.
 * Whatever fails, the person is told why (see `runTurn`).
 */
import { randomBytes } from 'node:crypto';
import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { CoreServices } from '../../core/core-services';
import type { Locale, Reply, Turn, TurnObserver } from '../../core/types';
import { renderModal, renderReply, trailingBlocks, type SlackMessage } from './blocks';
import type { SlackIdentity } from './identity';
import { markdownToMrkdwn, truncateText } from './mrkdwn';
import { postToResponseUrl } from './response-url';
import { slackTexts } from './texts';

type ChatStreamer = webApi.ChatStreamer;

export type PlaceKind = 'dm' | 'assistant' | 'mention' | 'command' | 'action' | 'view';

/** Where a turn came from and what Slack lets us do there. */
export interface Place {
  kind: PlaceKind;
  userId: string;
  teamId?: string;
  /** The conversation to answer in; undefined for App Home and modals (the DM is opened). */
  channel?: string;
  threadTs?: string;
  /** A conversation other people can read: private replies go ephemeral to the person. */
  shared: boolean;
  responseUrl?: string;
  /** The message a button was on, for `replaceOriginal`. */
  source?: { channel?: string; ts?: string; ephemeral: boolean };
  /** A trigger_id lets us open a modal for a reply with input fields (valid for 3 s). */
  trigger?: { id: string; receivedAt: number };
  /** Bolt's `sayStream` for this thread (streaming needs a thread). */
  openStream?: () => ChatStreamer;
  /** Bolt's `setStatus` for assistant threads. */
  setStatus?: (status: string) => Promise<unknown>;
}

export interface ResponderDeps {
  core: CoreServices;
  client: webApi.WebClient;
  identity: SlackIdentity;
  logger: Logger;
  /** Minimum interval between chat.update calls while tokens arrive. */
  updateIntervalMs?: number;
}

/** Response URLs accept five posts; keep one for an error message. */
const RESPONSE_URL_BUDGET = 4;
/** A trigger_id expires after 3 s; leave room for the views.open round trip. */
const TRIGGER_FRESH_MS = 2500;
const MAX_CODE_BLOCK = 11_000;

export class Responder {
  private streamer?: ChatStreamer;
  private streamFailed = false;
  private streamed = '';
  private placeholderTs?: string;
  private placeholderByResponseUrl = false;
  private responseUrlPosts = 0;
  private buffered = '';
  private lastUpdate = 0;
  private updateChain: Promise<void> = Promise.resolve();
  private dmChannel?: string;
  private readonly updateIntervalMs: number;

  constructor(
    private readonly deps: ResponderDeps,
    private readonly place: Place,
    private readonly locale: Locale,
  ) {
    this.updateIntervalMs = deps.updateIntervalMs ?? 1000;
  }

  /** Progress and tokens from the core, shown the way this place allows. */
  observer(): TurnObserver {
    return {
      onPreface: (replies) => this.preface(replies),
      onStatus: (status) => this.onStatus(status),
      onToken: (chunk) => this.onToken(chunk),
    };
  }

  /** The first-contact welcome, shown before a streamed answer starts (not after it). */
  private async preface(replies: Reply[]): Promise<void> {
    for (const reply of replies) {
      const messages = renderReply(reply, {}, this.deps.core.clock());
      for (const message of messages) await this.send(message, reply, false, false);
    }
  }

  private async onStatus(status: string): Promise<void> {
    try {
      const { place } = this;
      if (place.setStatus) {
        await place.setStatus(status);
      } else if (place.kind === 'command' && place.responseUrl && this.responseUrlPosts === 0) {
        await this.viaResponseUrl({ text: `_${markdownToMrkdwn(status)}_` }, false);
        this.placeholderByResponseUrl = true;
      } else if (place.kind === 'dm' && place.channel && !this.placeholderTs) {
        const posted = await this.deps.client.chat.postMessage({ channel: place.channel, thread_ts: place.threadTs, text: `_${markdownToMrkdwn(status)}_` });
        this.placeholderTs = posted.ts;
      }
    } catch (error) {
      this.deps.logger.warn({ err: errorInfo(error) }, 'status update failed');
    }
  }

  private async onToken(chunk: string): Promise<void> {
    if (!chunk) return;
    const { place } = this;
    if (place.openStream && !this.streamFailed) {
      try {
        this.streamer ??= place.openStream();
        await this.streamer.append({ markdown_text: chunk });
        this.streamed += chunk;
        return;
      } catch (error) {
        // Streaming unavailable (older workspace, missing scope): fall back to post-then-update.
        this.deps.logger.warn({ err: errorInfo(error) }, 'streaming failed; posting instead');
        this.streamFailed = true;
        this.buffered = this.streamed;
      }
    }
    this.buffered += chunk;
    if (place.kind === 'command' || place.kind === 'action' || place.kind === 'view' || !place.channel) return;
    const now = Date.now();
    if (now - this.lastUpdate < this.updateIntervalMs) return;
    this.lastUpdate = now;
    const text = `${markdownToMrkdwn(this.buffered)} ▍`;
    this.updateChain = this.updateChain.then(async () => {
      try {
        if (this.placeholderTs) await this.deps.client.chat.update({ channel: place.channel!, ts: this.placeholderTs, text });
        else this.placeholderTs = (await this.deps.client.chat.postMessage({ channel: place.channel!, thread_ts: place.threadTs, text })).ts;
      } catch (error) {
        this.deps.logger.warn({ err: errorInfo(error) }, 'progress update failed');
      }
    });
  }

  /** Sends the final replies. Throws only when nothing could be delivered. */
  async finish(replies: Reply[]): Promise<void> {
    await this.updateChain;
    let progressClaimed = false;
    for (const reply of replies) {
      if (reply.file) await this.sendFile(reply);
      if (reply.inputs?.length && (await this.openModal(reply))) continue;
      // The streamed message or the placeholder belongs to the answer the person watched arrive,
      // not to the one-time welcome the router puts before it.
      const ownsProgress = !progressClaimed && reply.kind !== 'welcome';
      if (ownsProgress) progressClaimed = true;
      if (this.streamer && ownsProgress) {
        await this.stopStream(reply);
        continue;
      }
      const messages = renderReply(reply, { inlineInputs: Boolean(reply.inputs?.length) }, this.deps.core.clock());
      for (const [i, message] of messages.entries()) await this.send(message, reply, i === 0, ownsProgress && i === 0);
    }
    if (this.streamer && !progressClaimed) await this.streamer.stop().catch((error: unknown) => this.deps.logger.warn({ err: errorInfo(error) }, 'stopStream failed'));
  }

  private async stopStream(reply: Reply): Promise<void> {
    const streamer = this.streamer!;
    // The model's final text may add to what was streamed (e.g. a closing line): append the rest.
    const rest = reply.text.startsWith(this.streamed) ? reply.text.slice(this.streamed.length) : '';
    try {
      await streamer.stop({ ...(rest ? { markdown_text: rest } : {}), blocks: trailingBlocks(reply, this.deps.core.clock()) });
    } catch (error) {
      this.deps.logger.warn({ err: errorInfo(error) }, 'stopStream failed; posting the answer');
      const messages = renderReply(reply, {}, this.deps.core.clock());
      for (const [i, message] of messages.entries()) await this.send(message, reply, i === 0);
    }
  }

  /** One Slack message to wherever this reply belongs. */
  private async send(message: SlackMessage, reply: Reply, first: boolean, ownsProgress = first): Promise<void> {
    const { client } = this.deps;
    const place = this.place;
    const replace = first && reply.replaceOriginal === true;

    if (place.kind === 'command' || (place.kind === 'action' && place.source?.ephemeral)) {
      if (place.responseUrl && this.responseUrlPosts < RESPONSE_URL_BUDGET) {
        const replaceIt = (ownsProgress && this.placeholderByResponseUrl) || replace;
        if (ownsProgress) this.placeholderByResponseUrl = false;
        await this.viaResponseUrl(message, replaceIt);
        return;
      }
      await this.toDm(message);
      return;
    }
    if (place.kind === 'view' || !place.channel) {
      await this.toDm(message);
      return;
    }
    if (place.shared && (reply.private || place.kind === 'action')) {
      await client.chat.postEphemeral({ channel: place.channel, user: place.userId, thread_ts: place.threadTs, text: message.text, blocks: message.blocks });
      return;
    }
    if (replace && place.source?.ts && place.source.channel) {
      await client.chat.update({ channel: place.source.channel, ts: place.source.ts, text: message.text, blocks: message.blocks });
      return;
    }
    if (ownsProgress && this.placeholderTs) {
      const ts = this.placeholderTs;
      this.placeholderTs = undefined;
      await client.chat.update({ channel: place.channel, ts, text: message.text, blocks: message.blocks });
      return;
    }
    await client.chat.postMessage({ channel: place.channel, thread_ts: place.threadTs, text: message.text, blocks: message.blocks });
  }

  private async viaResponseUrl(message: { text: string; blocks?: unknown[] }, replaceOriginal: boolean): Promise<void> {
    this.responseUrlPosts += 1;
    await postToResponseUrl(this.place.responseUrl!, { response_type: 'ephemeral', replace_original: replaceOriginal, text: message.text, blocks: message.blocks });
  }

  private async toDm(message: SlackMessage): Promise<void> {
    this.dmChannel ??= await this.deps.identity.dmChannel(this.place.userId);
    await this.deps.client.chat.postMessage({ channel: this.dmChannel, text: message.text, blocks: message.blocks });
  }

  /** Opens a modal for a reply with input fields while the trigger is fresh; false when it cannot. */
  private async openModal(reply: Reply): Promise<boolean> {
    const trigger = this.place.trigger;
    if (!trigger || Date.now() - trigger.receivedAt > TRIGGER_FRESH_MS) return false;
    const submit = reply.actions?.find((a) => a.style === 'primary') ?? reply.actions?.[0];
    if (!submit) return false;
    const metadata = JSON.stringify({ a: submit.id, v: submit.value, c: this.place.shared ? undefined : this.place.channel, t: this.place.threadTs });
    try {
      await this.deps.client.views.open({ trigger_id: trigger.id, view: renderModal(reply, metadata) });
      return true;
    } catch (error) {
      this.deps.logger.warn({ err: errorInfo(error) }, 'views.open failed; showing the fields inline');
      return false;
    }
  }

  /** Files go to the person's DM (files upload v2); if the upload fails, small data as a code block. */
  private async sendFile(reply: Reply): Promise<void> {
    const file = reply.file!;
    const t = slackTexts[reply.locale];
    this.dmChannel ??= await this.deps.identity.dmChannel(this.place.userId);
    try {
      await this.deps.client.filesUploadV2({
        channel_id: this.dmChannel,
        filename: file.name,
        title: file.name,
        file: Buffer.from(file.content, 'utf8'),
        initial_comment: t.exportComment,
      });
    } catch (error) {
      this.deps.logger.warn({ err: errorInfo(error) }, 'file upload failed');
      if (file.content.length > MAX_CODE_BLOCK) throw error;
      await this.deps.client.chat.postMessage({
        channel: this.dmChannel,
        text: `${t.exportFallback}\n\`\`\`${file.content.replace(/```/g, "'''")}\`\`\``,
      });
    }
  }

  /** Tells the person that their answer could not be delivered, by the simplest route left. */
  async apologise(reference: string): Promise<void> {
    const text = slackTexts[this.locale].failed(reference);
    const { client } = this.deps;
    const place = this.place;
    try {
      if (place.responseUrl) await postToResponseUrl(place.responseUrl, { response_type: 'ephemeral', text }, { retries: 0 });
      else if (place.channel && place.shared) await client.chat.postEphemeral({ channel: place.channel, user: place.userId, thread_ts: place.threadTs, text });
      else if (place.channel) await client.chat.postMessage({ channel: place.channel, thread_ts: place.threadTs, text });
      else await client.chat.postMessage({ channel: await this.deps.identity.dmChannel(place.userId), text });
    } catch (error) {
      this.deps.logger.error({ err: errorInfo(error), reference }, 'could not even deliver the apology');
    }
  }
}

/** What may be logged about an error: never message text. */
export function errorInfo(error: unknown): { message: string; code?: string; slackError?: string } {
  const e = error as { message?: string; code?: string; data?: { error?: string } };
  return { message: truncateText(String(e?.message ?? error), 300), code: e?.code, slackError: e?.data?.error };
}

/**
 * One turn end to end: the core answers (streaming through the observer), then the replies are
 * delivered. Never throws: a failure is logged with a reference and the person is told.
 */
export async function runTurn(deps: ResponderDeps, turn: Turn, place: Place): Promise<void> {
  const responder = new Responder(deps, place, turn.actor.locale);
  deps.core.metrics.turns.inc({ channel: 'slack', surface: turn.surface });
  const stopTimer = deps.core.metrics.turnSeconds.startTimer({ channel: 'slack' });
  try {
    const replies = await deps.core.router.handle(turn, responder.observer());
    await responder.finish(replies);
    stopTimer();
  } catch (error) {
    stopTimer();
    deps.core.metrics.replyErrors.inc({ channel: 'slack' });
    const reference = randomBytes(4).toString('hex');
    deps.logger.error({ err: errorInfo(error), reference, surface: turn.surface }, 'slack delivery failed');
    await responder.apologise(reference);
  }
}
