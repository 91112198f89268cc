/**
 * A client of the Microsoft 365 Agents Playground's own HTTP and WebSocket interface: what its
 * browser page does, without the browser. Messages the bot sends arrive on the WebSocket.
 */
import WebSocket from 'ws';

export interface PlaygroundMessage {
  messageId: string;
  text?: string;
  textFormat?: string;
  attachments?: Array<{ contentType: string; content: unknown }>;
  from: { id: string };
}

export interface PlaygroundConfig {
  config: {
    tenantId: string;
    bot: { id: string; name: string };
    currentUser: { id: string; name: string; aadObjectId: string; email: string };
    personalChat: { id: string };
  };
}

export class PlaygroundClient {
  readonly messages: PlaygroundMessage[] = [];
  private readonly waiters: Array<() => void> = [];

  private constructor(
    readonly baseUrl: string,
    readonly config: PlaygroundConfig,
    private readonly socket: WebSocket,
  ) {
    socket.on('message', (data) => {
      const event = JSON.parse(data.toString()) as { action: string; message?: PlaygroundMessage };
      if ((event.action === 'createMessage' || event.action === 'updateMessage') && event.message) {
        this.messages.push(event.message);
        for (const wake of this.waiters.splice(0)) wake();
      }
    });
  }

  static async connect(baseUrl: string): Promise<PlaygroundClient> {
    const response = await fetch(`${baseUrl}/_internal/v1/config`);
    if (!response.ok) throw new Error(`playground config: HTTP ${response.status}`);
    const config = (await response.json()) as PlaygroundConfig;
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/_ws_conversation/v1/conversations/stream`);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new PlaygroundClient(baseUrl, config, socket);
  }

  /** Types a message into the personal chat, as the playground's current user. */
  async say(text: string): Promise<void> {
    const conversationId = this.config.config.personalChat.id;
    const response = await fetch(`${this.baseUrl}/_conversation/v1/conversations/${conversationId}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: { id: this.config.config.currentUser.id }, text, textFormat: 'plain' }),
    });
    if (!response.ok) throw new Error(`playground message: HTTP ${response.status} ${await response.text()}`);
  }

  /** Waits until a bot message satisfies `predicate`, or fails after `timeoutMs`. */
  async waitFor(predicate: (m: PlaygroundMessage) => boolean, timeoutMs = 15_000): Promise<PlaygroundMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find((m) => m.from.id === this.config.config.bot.id && predicate(m));
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`no matching bot message within ${timeoutMs} ms; got: ${JSON.stringify(this.messages.map((m) => m.text?.slice(0, 80)))}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.socket.close();
  }
}
