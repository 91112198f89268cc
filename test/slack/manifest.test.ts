/** manifest.json is valid against Slack's own manifest schema and asks for no more than the features need. */
import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';

const ROOT = path.resolve(__dirname, '../..');
const SCHEMA = path.resolve(ROOT, '../shared/schemas/slack-app-manifest.schema.1.0.0.json');

describe('manifest.json', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'manifest.json'), 'utf8'));

  it('validates against slack-app-manifest.schema.1.0.0.json', () => {
    if (!fs.existsSync(SCHEMA)) {
      throw new Error(`Slack's manifest schema is missing at ${SCHEMA}: CI must check out shared/ beside the repository`);
    }
    const schema = JSON.parse(fs.readFileSync(SCHEMA, 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
    // Slack's schema uses a non-standard `regex` keyword (a pattern) and the `uri` format: enforce both.
    ajv.addKeyword({ keyword: 'regex', type: 'string', schemaType: 'string', validate: (re: string, value: string) => new RegExp(re).test(value) });
    ajv.addFormat('uri', (value: string) => URL.canParse(value));
    ajv.addKeyword('_note'); // an annotation in Slack's schema
    const validate = ajv.compile(schema);
    const valid = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    // And the validator is not a rubber stamp.
    const broken = { ...manifest, display_information: { ...manifest.display_information, name: 'x'.repeat(36) }, surprise: true };
    expect(validate(broken)).toBe(false);
  });

  it('has the /career command, the events, interactivity, App Home, the assistant view and Socket Mode', () => {
    expect(manifest.features.slash_commands.map((c: { command: string }) => c.command)).toEqual(['/career']);
    expect(manifest.features.slash_commands[0].usage_hint).toContain('help');
    expect(new Set(manifest.settings.event_subscriptions.bot_events)).toEqual(
      new Set(['app_home_opened', 'app_mention', 'message.im', 'assistant_thread_started', 'assistant_thread_context_changed']),
    );
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.features.app_home).toMatchObject({ home_tab_enabled: true, messages_tab_enabled: true });
    expect(manifest.features.assistant_view.suggested_prompts.length).toBeLessThanOrEqual(4);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.settings.token_rotation_enabled).toBe(false);
  });

  it('asks for the least scopes: each one is used, none reads channels', () => {
    const scopes: string[] = manifest.oauth_config.scopes.bot;
    expect(scopes.sort()).toEqual(['app_mentions:read', 'assistant:write', 'chat:write', 'commands', 'files:write', 'im:history', 'im:write', 'users:read', 'users:read.email']);
    for (const broad of ['channels:history', 'groups:history', 'mpim:history', 'channels:read', 'chat:write.public', 'users:write']) expect(scopes).not.toContain(broad);
    expect(manifest.oauth_config.scopes.user).toBeUndefined();
  });

  it('justifies every scope in the README', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('<!-- section:slack -->'), readme.indexOf('<!-- /section:slack -->'));
    for (const scope of manifest.oauth_config.scopes.bot as string[]) expect(section).toContain(`\`${scope}\``);
  });
});
