/**
 * Exports in Teams: a bot cannot attach an arbitrary file to a 1:1 chat, so Teams' file consent
 * flow is used. The bot offers the file (FileConsentCard); when the person accepts, Teams creates
 * it in their OneDrive and hands the bot an upload URL; the bot uploads and posts a FileInfoCard.
 * The file waits in memory (never on disk) for at most ten minutes between offer and accept.
 */
import { randomBytes } from 'node:crypto';
import type { TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { Locale, Reply } from '../../core/types';
import { withRetry, DEFAULT_RETRY } from './rate-limit';

const OFFER_TTL_MS = 10 * 60_000;
const UPLOAD_TIMEOUT_MS = 30_000;

export const FILE_CONSENT_CARD = 'application/vnd.microsoft.teams.card.file.consent';
export const FILE_INFO_CARD = 'application/vnd.microsoft.teams.card.file.info';

const texts: Record<Locale, { declined: string; expired: string; failed: string; done: string; description: string }> = {
  ja: {
    declined: 'ファイルの送信を取りやめました。必要になったら `export` と入力してください。',
    expired: 'このファイルの受け取り期限(10 分)が過ぎました。もう一度 `export` と入力してください。',
    failed: 'ファイルをアップロードできませんでした。少し時間をおいて `export` をもう一度お試しください。',
    done: 'あなたのデータのファイルです。',
    description: 'Tsumiki に保存されているあなたのデータ(JSON)',
  },
  en: {
    declined: 'I did not send the file. Type `export` whenever you want it.',
    expired: 'This file offer has expired (10 minutes). Please type `export` again.',
    failed: 'I could not upload the file. Please try `export` again in a moment.',
    done: 'Here is the file with your data.',
    description: 'Your data stored by Tsumiki (JSON)',
  },
};

interface PendingFile {
  ownerId: string;
  name: string;
  content: string;
  expiresAt: number;
}

interface ConsentValue {
  type?: string;
  action?: 'accept' | 'decline';
  context?: { token?: string };
  uploadInfo?: { uploadUrl?: string; contentUrl?: string; name?: string; uniqueId?: string; fileType?: string };
}

export class FileConsentFlow {
  private readonly pending = new Map<string, PendingFile>();

  constructor(
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Sends the consent card for the reply's file. */
  async offer(context: TurnContext, reply: Reply): Promise<void> {
    if (!reply.file) return;
    this.prune();
    const token = randomBytes(12).toString('hex');
    this.pending.set(token, { ownerId: context.activity.from.id, name: reply.file.name, content: reply.file.content, expiresAt: this.now() + OFFER_TTL_MS });
    await context.sendActivity({
      type: 'message',
      text: reply.text,
      textFormat: 'markdown',
      attachments: [
        {
          contentType: FILE_CONSENT_CARD,
          name: reply.file.name,
          content: {
            description: texts[reply.locale].description,
            sizeInBytes: Buffer.byteLength(reply.file.content, 'utf8'),
            acceptContext: { token },
            declineContext: { token },
          },
        },
      ],
    });
  }

  /** The person accepted or declined. Always answers in the chat. */
  async handleInvoke(context: TurnContext, locale: Locale): Promise<void> {
    const value = (context.activity.value ?? {}) as ConsentValue;
    const token = value.context?.token ?? '';
    const file = this.pending.get(token);
    const t = texts[locale];
    if (value.action === 'decline') {
      this.pending.delete(token);
      await context.sendActivity({ type: 'message', text: t.declined, textFormat: 'markdown' });
      return;
    }
    if (!file || file.expiresAt < this.now() || file.ownerId !== context.activity.from.id) {
      this.pending.delete(token);
      await context.sendActivity({ type: 'message', text: t.expired, textFormat: 'markdown' });
      return;
    }
    const upload = value.uploadInfo;
    if (!upload?.uploadUrl || !/^https?:\/\//.test(upload.uploadUrl)) {
      await context.sendActivity({ type: 'message', text: t.failed, textFormat: 'markdown' });
      return;
    }
    try {
      await uploadFile(upload.uploadUrl, file.content);
      this.pending.delete(token);
      await context.sendActivity({
        type: 'message',
        text: t.done,
        attachments: [
          {
            contentType: FILE_INFO_CARD,
            contentUrl: upload.contentUrl,
            name: upload.name ?? file.name,
            content: { uniqueId: upload.uniqueId, fileType: upload.fileType ?? 'json' },
          },
        ],
      });
    } catch (error) {
      this.logger.warn({ err: error, channel: 'teams' }, 'export upload failed');
      await context.sendActivity({ type: 'message', text: t.failed, textFormat: 'markdown' });
    }
  }

  private prune(): void {
    const now = this.now();
    for (const [token, file] of this.pending) if (file.expiresAt < now) this.pending.delete(token);
  }
}

/** One PUT of the whole file, as OneDrive upload sessions accept for small files. */
async function uploadFile(url: string, content: string): Promise<void> {
  const body = Buffer.from(content, 'utf8');
  await withRetry(async () => {
    const response = await fetch(url, {
      method: 'PUT',
      headers: { 'Content-Length': String(body.length), 'Content-Range': `bytes 0-${body.length - 1}/${body.length}` },
      body,
      signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
    });
    if (!response.ok) throw Object.assign(new Error(`upload failed with HTTP ${response.status}`), { status: response.status });
  }, DEFAULT_RETRY);
}
