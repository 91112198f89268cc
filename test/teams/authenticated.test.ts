/**
 * The authenticated Teams path end to end, with no network but loopback: Tsumiki runs with
 * MicrosoftAppId/MicrosoftAppPassword and the Teams channel pointed at a fake identity provider
 * (OpenID metadata + JWKS with endorsements, and a client-credentials token endpoint).
 * botbuilder checks real signed tokens; MSAL fetches a real token; the fake connector sees it.
 */
import pino from 'pino';
import { buildCore, type Core } from '../../src/app';
import { createTeamsChannel } from '../../src/channels/teams';
import { addErrorHandlers, createExpressApp, listen, type HttpServer } from '../../src/server/http-server';
import { startFakeConnector, type FakeConnector } from '../fakes/fake-bot-connector';
import { startFakeBotIdentity, type FakeBotIdentity } from '../fakes/fake-bot-identity';
import { tempDir, testConfig } from '../helpers/test-core';
import { teamsActivity } from './teams-helpers';

interface Running {
  core: Core;
  http: HttpServer;
  identity: FakeBotIdentity;
  connector: FakeConnector;
  turns: string[];
  post(activity: Record<string, unknown>, token?: string): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

const PASSWORD = 'fake-client-secret-for-tests';

/** Tsumiki as `npm start` assembles it for Teams, with the channel's identity endpoints on the fake. */
async function start(env: { appId: string; appType: 'MultiTenant' | 'SingleTenant'; tenantId?: string }, options: { authenticationTimeoutMs?: number } = {}): Promise<Running> {
  const identity = await startFakeBotIdentity({ appId: env.appId, appPassword: PASSWORD });
  const connector = await startFakeConnector();
  const config = testConfig({
    PORT: '0',
    TSUMIKI_DATA_DIR: tempDir('tsumiki-teams-auth-data-'),
    MicrosoftAppId: env.appId,
    MicrosoftAppPassword: PASSWORD,
    MicrosoftAppType: env.appType,
    ...(env.tenantId ? { MicrosoftAppTenantId: env.tenantId } : {}),
  });
  const core = buildCore(config, pino({ level: 'silent' }));
  const teams = createTeamsChannel(core, {
    identity: {
      toBotFromChannelOpenIdMetadataUrl: identity.openIdMetadataUrl,
      toChannelFromBotLoginUrl: identity.loginUrl(env.tenantId ?? 'botframework.com'),
      loginCa: identity.loginCa,
    },
    authenticationTimeoutMs: options.authenticationTimeoutMs,
    typingDelayMs: 60_000,
  });
  const app = createExpressApp(core, { teams: teams.handle });
  addErrorHandlers(app, core);
  const http = await listen(app, '127.0.0.1', 0);
  const turns: string[] = [];
  core.router.setConsultation(({ turn, locale }) => {
    turns.push(turn.text ?? '');
    return [{ kind: 'info', locale, text: `受け取りました: ${turn.text}` }];
  });
  return {
    core,
    http,
    identity,
    connector,
    turns,
    async post(activity, token) {
      const response = await fetch(`${http.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(activity),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    },
    async stop() {
      await http.close();
      await core.close();
      await connector.close();
      await identity.close();
    },
  };
}

describe.each([
  { appType: 'MultiTenant' as const, appId: '11111111-aaaa-4bbb-8ccc-000000000001', tenantId: undefined, tokenTenant: 'botframework.com' },
  { appType: 'SingleTenant' as const, appId: '22222222-aaaa-4bbb-8ccc-000000000002', tenantId: '33333333-dddd-4eee-8fff-000000000003', tokenTenant: '33333333-dddd-4eee-8fff-000000000003' },
])('$appType bot with a signed channel token', ({ appType, appId, tenantId, tokenTenant }) => {
  let r: Running;
  beforeAll(async () => {
    r = await start({ appId, appType, tenantId });
  });
  afterAll(async () => {
    await r.stop();
  });

  it('serves the request (200) and replies to the connector with a bearer token from the token endpoint', async () => {
    const activity = teamsActivity(r.connector, { text: 'キャリアの相談です' });
    const token = r.identity.signChannelToken({ serviceUrl: r.connector.url });
    const res = await r.post(activity, token);
    expect(res.status).toBe(200);
    // The first contact brings a welcome (with the privacy notice) before the answer.
    const isAnswer = (a: { activity: any }) => a.activity.type === 'message' && JSON.stringify(a.activity).includes('受け取りました: キャリアの相談です');
    await r.connector.waitFor((sent) => sent.some(isAnswer));
    const reply = r.connector.activities.find(isAnswer)!;
    expect(r.turns).toEqual(['キャリアの相談です']);

    // The token came from the fake identity provider, through MSAL's client-credentials flow.
    expect(r.identity.issuedTokens.length).toBeGreaterThanOrEqual(1);
    expect(reply.authorization).toBe(`Bearer ${r.identity.issuedTokens.at(-1)}`);
    expect(r.connector.attempts.every((a) => a.authorization === reply.authorization)).toBe(true);
    expect(r.identity.tokenRequests.at(-1)).toEqual({
      tenant: tokenTenant,
      grantType: 'client_credentials',
      clientId: appId,
      secretMatched: true,
      scope: 'https://api.botframework.com/.default',
    });
    // The signing keys were fetched from the fake, not from login.botframework.com.
    expect(r.identity.keyRequests).toEqual(expect.arrayContaining(['/v1/.well-known/openidconfiguration', '/v1/.well-known/keys']));
  });

  it('sends proactive messages with a bearer token too', async () => {
    const install = teamsActivity(r.connector, { type: 'installationUpdate', extra: { action: 'add' } });
    expect((await r.post(install, r.identity.signChannelToken({ serviceUrl: r.connector.url }))).status).toBe(200);
    const stored = r.core.people.identity('teams', 'aad-user-1')!;
    r.connector.activities.length = 0;
    const result = await r.core.senders.get('teams')!.send(
      { personId: stored.personId, externalId: stored.externalId, dmChannelId: null, conversationRef: stored.conversationRef },
      [{ kind: 'info', locale: 'ja', text: '今週のふりかえりの時間です' }],
    );
    expect(result).toMatchObject({ ok: true });
    expect(r.connector.activities).toHaveLength(1);
    expect(JSON.stringify(r.connector.activities[0]!.activity)).toContain('今週のふりかえりの時間です');
    expect(r.connector.activities[0]!.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    expect(r.identity.issuedTokens).toContain(r.connector.activities[0]!.authorization!.slice('Bearer '.length));
  });
});

describe('tokens that must be refused', () => {
  const appId = '44444444-aaaa-4bbb-8ccc-000000000004';
  let r: Running;
  beforeAll(async () => {
    r = await start({ appId, appType: 'MultiTenant' });
  });
  afterAll(async () => {
    await r.stop();
  });
  // botbuilder's token extractor prints refused tokens' errors (and the public key) with console.error.
  let consoleError: jest.SpyInstance;
  beforeAll(() => {
    consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterAll(() => consoleError.mockRestore());
  beforeEach(() => {
    r.turns.length = 0;
    r.connector.activities.length = 0;
    r.connector.attempts.length = 0;
  });

  const now = () => Math.floor(Date.now() / 1000);
  const cases: Array<[string, (r: Running) => string]> = [
    ['signed by another key under the channel key id', (r) => r.identity.signChannelToken({ serviceUrl: r.connector.url, signWith: 'foreign' })],
    ['signed with an unknown key id', (r) => r.identity.signChannelToken({ serviceUrl: r.connector.url, signWith: 'foreign', kid: 'unknown-key' })],
    // botbuilder allows five minutes of clock skew.
    ['expired', (r) => r.identity.signChannelToken({ serviceUrl: r.connector.url, claims: { nbf: now() - 7200, exp: now() - 3600 } })],
    ['not valid yet', (r) => r.identity.signChannelToken({ serviceUrl: r.connector.url, claims: { nbf: now() + 3600 } })],
    ['for another app (audience)', (r) => r.identity.signChannelToken({ serviceUrl: r.connector.url, claims: { aud: '99999999-aaaa-4bbb-8ccc-000000000009' } })],
    ['from another issuer', (r) => r.identity.signChannelToken({ serviceUrl: r.connector.url, claims: { iss: 'https://sts.example.com/' } })],
    ['without a serviceurl claim', (r) => r.identity.signChannelToken({})],
    ['for another serviceUrl', (r) => r.identity.signChannelToken({ serviceUrl: 'https://smba.trafficmanager.net/jp/' })],
  ];

  it.each(cases)('refuses a token %s with 401 and nothing reaches the core', async (_name, makeToken) => {
    const res = await r.post(teamsActivity(r.connector, { text: 'この相談は届かないはず' }), makeToken(r));
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'unauthorized' });
    expect(r.turns).toEqual([]);
    expect(r.connector.attempts).toEqual([]);
  });

  it('refuses a valid token for a channel its key is not endorsed for (401)', async () => {
    const activity = teamsActivity(r.connector, { text: 'help', extra: { channelId: 'webchat' } });
    const res = await r.post(activity, r.identity.signChannelToken({ serviceUrl: r.connector.url }));
    expect(res.status).toBe(401);
    expect(r.turns).toEqual([]);
  });

  it('still serves a valid token after the refusals', async () => {
    const res = await r.post(teamsActivity(r.connector, { text: 'やっと届く相談' }), r.identity.signChannelToken({ serviceUrl: r.connector.url }));
    expect(res.status).toBe(200);
    expect(r.turns).toEqual(['やっと届く相談']);
  });
});

describe('when the signing keys cannot be fetched', () => {
  it('answers 503 (retry later), not 401, and runs nothing', async () => {
    const r = await start({ appId: '55555555-aaaa-4bbb-8ccc-000000000005', appType: 'MultiTenant' });
    try {
      r.identity.failKeys(500);
      const res = await r.post(teamsActivity(r.connector, { text: 'help' }), r.identity.signChannelToken({ serviceUrl: r.connector.url }));
      expect(res.status).toBe(503);
      expect(r.turns).toEqual([]);
      expect(r.connector.attempts).toEqual([]);
    } finally {
      await r.stop();
    }
  });
});
