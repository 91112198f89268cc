import { ConfigError, loadConfig } from '../../src/config/config';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('starts local mode with defaults when nothing is configured', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      env: 'development',
      localMode: true,
      playground: true,
      host: '127.0.0.1',
      port: 3978,
      databasePath: 'var/tsumiki.db',
      dataDir: 'data',
      defaultTimezone: 'Asia/Tokyo',
      defaultLocale: 'ja',
      retentionDays: 90,
    });
    expect(config.slack).toBeUndefined();
    expect(config.teams).toBeUndefined();
    expect(config.model).toBeUndefined();
  });

  it('reports every bad value at once, by name, with what a good value looks like', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      TSUMIKI_DEFAULT_TIMEZONE: 'Mars/Olympus',
      TSUMIKI_DEFAULT_LOCALE: 'fr',
      SLACK_BOT_TOKEN: 'not-a-token',
      OPENAI_BASE_URL: 'ftp://nowhere',
      TSUMIKI_RETENTION_DAYS: '-3',
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^PORT .*for example 3978/),
        expect.stringMatching(/^TSUMIKI_DEFAULT_TIMEZONE .*Asia\/Tokyo/),
        expect.stringMatching(/^TSUMIKI_DEFAULT_LOCALE must be ja or en/),
        expect.stringMatching(/^SLACK_BOT_TOKEN .*xoxb-/),
        expect.stringMatching(/^OPENAI_BASE_URL .*http/),
        expect.stringMatching(/^TSUMIKI_RETENTION_DAYS .*positive whole number/),
      ]),
    );
    expect(problems.length).toBeGreaterThanOrEqual(6);
  });

  it('never prints a secret value in an error', () => {
    const secret = 'xoxb-THIS-IS-SECRET-123';
    const appSecret = 'super-secret-app-password';
    try {
      loadConfig({ SLACK_BOT_TOKEN: secret, MicrosoftAppPassword: appSecret, MicrosoftAppType: 'Nope', PORT: 'x' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toContain('SLACK_SIGNING_SECRET');
      expect(message).not.toContain(secret);
      expect(message).not.toContain(appSecret);
    }
  });

  it('requires the signing secret for Slack over HTTP but not for Socket Mode', () => {
    expect(problemsOf({ SLACK_BOT_TOKEN: 'xoxb-1' })).toEqual([expect.stringMatching(/^SLACK_SIGNING_SECRET is required/)]);
    const socket = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' });
    expect(socket.slack).toEqual({ botToken: 'xoxb-1', appToken: 'xapp-1', signingSecret: undefined, apiUrl: undefined });
    expect(socket.localMode).toBe(false);
    expect(socket.host).toBe('0.0.0.0');
  });

  it('picks the model provider from the variables present', () => {
    expect(loadConfig({ OPENAI_API_KEY: 'sk-test' }).model).toMatchObject({ provider: 'openai', chatModel: 'gpt-4o-mini' });
    expect(loadConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1', OPENAI_MODEL: 'llama3' }).model).toMatchObject({
      provider: 'openai',
      baseUrl: 'http://127.0.0.1:11434/v1',
      chatModel: 'llama3',
    });
    expect(
      loadConfig({ AZURE_OPENAI_API_KEY: 'k', AZURE_OPENAI_API_INSTANCE_NAME: 'i', AZURE_OPENAI_API_DEPLOYMENT_NAME: 'd' }).model,
    ).toMatchObject({ provider: 'azure', deploymentName: 'd' });
    expect(problemsOf({ AZURE_OPENAI_API_KEY: 'k' })).toEqual(
      expect.arrayContaining([expect.stringMatching(/^AZURE_OPENAI_API_INSTANCE_NAME/), expect.stringMatching(/^AZURE_OPENAI_API_DEPLOYMENT_NAME/)]),
    );
  });

  it('leaves local mode in production and when a channel is configured', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).localMode).toBe(false);
    expect(loadConfig({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'pw' }).localMode).toBe(false);
    expect(loadConfig({ TSUMIKI_PLAYGROUND: 'off' }).playground).toBe(false);
  });
});
