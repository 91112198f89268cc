/**
 * Logs carry no secrets and, at the default level, no message text. Real turns go through the
 * running app (Teams local mode, the real HTTP server) with a capturing pino destination.
 */
import { ConfigError, describeConfig, loadConfig } from '../../src/config/config';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/fake-openai';
import { post, startApp, teamsActivity, type RunningApp } from '../robustness/support/running-app';

const OPENAI_KEY = 'sk-test-LEAKCANARY-7d41be09';
const PHRASES = ['CANARY-QUESTION-a81f', 'CANARY-JOURNAL-3c2d', 'CANARY-EMOJI-🦄-9e'];

describe('log lines from real turns', () => {
  let app: RunningApp;
  let openai: FakeOpenAI;
  beforeAll(async () => {
    openai = await startFakeOpenAI({ reply: `Here is my answer mentioning ${PHRASES[0]} again.` });
    app = await startApp({ OPENAI_API_KEY: OPENAI_KEY, OPENAI_BASE_URL: openai.url }, { level: 'info' });
  });
  afterAll(async () => {
    await app?.close();
    await openai?.close();
  });

  it('contain neither message text nor the API key at the default level', async () => {
    const endpoint = `${app.url}/api/messages`;
    const send = (fields: Record<string, unknown>) => post(endpoint, teamsActivity(app.connector.url, fields));
    for (const phrase of PHRASES) expect((await send({ text: `I want to grow into cloud work ${phrase}` })).status).toBeLessThan(500);
    expect((await send({ text: `ask ${PHRASES[1]} what should I learn next?` })).status).toBeLessThan(500);
    expect((await send({ text: 'export' })).status).toBeLessThan(500);
    expect((await send({ text: `schedule ${PHRASES[1]} 25:99` })).status).toBeLessThan(500);
    expect((await send({ value: { action: 'no.such.action', value: PHRASES[2] } })).status).toBeLessThan(500);
    expect((await send({ text: 'forget' })).status).toBeLessThan(500);
    // A malformed body whose content is a phrase: the parser error must not echo it.
    expect((await post(endpoint, `{"text": "${PHRASES[0]}" oops`)).status).toBe(400);
    // The bot answered (so the turns really ran), and the logs were written.
    expect(app.connector.sent.length).toBeGreaterThan(5);
    const logs = app.logs.join('');
    expect(logs.length).toBeGreaterThan(0);
    for (const phrase of PHRASES) expect(logs).not.toContain(phrase);
    expect(logs).not.toContain(OPENAI_KEY);
    expect(logs).not.toContain('LEAKCANARY');
  });
});

describe('configuration errors', () => {
  const SECRETS = {
    SLACK_BOT_TOKEN: 'not-a-bot-token-SECRET-1111',
    SLACK_APP_TOKEN: 'not-an-app-token-SECRET-2222',
    MicrosoftAppId: 'app-id-3333',
    MicrosoftAppType: 'SingleTenant',
    OPENAI_API_KEY: 'sk-SECRET-4444',
    OPENAI_BASE_URL: 'not a url SECRET-5555',
    AZURE_OPENAI_API_KEY: 'azure-SECRET-6666',
  };

  it('name the variables but never print a secret value', () => {
    let error: unknown;
    try {
      loadConfig({ NODE_ENV: 'test', ...SECRETS });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const name of ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'MicrosoftAppPassword', 'MicrosoftAppTenantId', 'OPENAI_BASE_URL', 'AZURE_OPENAI_API_INSTANCE_NAME']) {
      expect(message).toContain(name);
    }
    expect(message).not.toMatch(/SECRET-\d{4}/);
  });

  it('the description logged at start names no secret', () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      SLACK_BOT_TOKEN: 'xoxb-SECRET-7777',
      SLACK_SIGNING_SECRET: 'SECRET-8888',
      MicrosoftAppId: 'id',
      MicrosoftAppPassword: 'SECRET-9999',
      OPENAI_API_KEY: 'sk-SECRET-0000',
    });
    expect(JSON.stringify(describeConfig(config))).not.toMatch(/SECRET/);
  });
});
