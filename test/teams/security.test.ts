/**
 * Security of the Teams endpoint: with an app id, botbuilder's own authentication rejects
 * requests without a valid token (401) before any handler runs; without an app id the channel
 * refuses to start outside local mode; local mode listens on loopback only.
 */
import pino from 'pino';
import { createTeamsChannel } from '../../src/channels/teams';
import { buildCore } from '../../src/app';
import { startTeamsHarness, teamsActivity, type TeamsHarness } from './teams-helpers';
import { testConfig } from '../helpers/test-core';

describe('with MicrosoftAppId set', () => {
  let h: TeamsHarness;
  beforeAll(async () => {
    h = await startTeamsHarness({ MicrosoftAppId: '11111111-2222-3333-4444-555555555555', MicrosoftAppPassword: 'not-a-real-secret', MicrosoftAppType: 'MultiTenant' });
  });
  afterAll(async () => {
    await h.stop();
  });

  it('rejects a request without an Authorization header with 401 and runs nothing', async () => {
    let turns = 0;
    h.app.core.router.setConsultation(({ locale }) => {
      turns++;
      return [{ kind: 'info', locale, text: 'should not run' }];
    });
    const res = await h.post(teamsActivity(h.connector, { text: 'こんにちは、相談です' }));
    expect(res.status).toBe(401);
    expect(turns).toBe(0);
    expect(h.connector.activities).toHaveLength(0);
  });

  it('rejects a malformed or unsigned bearer token with 401', async () => {
    const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"aud":"11111111-2222-3333-4444-555555555555"}').toString('base64url')}.`;
    for (const header of ['Bearer not-a-jwt', `Bearer ${unsigned}`, 'Basic dXNlcjpwYXNz']) {
      const res = await h.post(teamsActivity(h.connector, { text: 'help' }), { Authorization: header });
      expect(res.status).toBe(401);
    }
    expect(h.connector.activities).toHaveLength(0);
  });

  it('is not local mode: the server does not default to loopback', () => {
    expect(h.app.core.config.localMode).toBe(false);
    expect(h.app.core.config.host).toBe('0.0.0.0');
  });
});

describe('without MicrosoftAppId', () => {
  it('refuses to start in production', () => {
    const config = testConfig({ NODE_ENV: 'production', SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret' });
    const core = buildCore(config, pino({ level: 'silent' }));
    try {
      expect(() => createTeamsChannel(core)).toThrow(/MicrosoftAppId/);
    } finally {
      void core.close();
    }
  });

  it('runs unauthenticated in local mode, on 127.0.0.1 only', async () => {
    const h = await startTeamsHarness();
    try {
      expect(h.app.core.config.localMode).toBe(true);
      expect(h.app.http.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await h.post(teamsActivity(h.connector, { text: 'help' }));
      expect(res.status).toBe(200);
    } finally {
      await h.stop();
    }
  });
});
