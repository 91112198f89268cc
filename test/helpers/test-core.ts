/**
 * Builds a real Core (SQLite in a temp folder, silent logger) for tests. Each test arranges its
 * own data; call `close()` in afterEach/afterAll.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { buildCore, type Core } from '../../src/app';
import { loadConfig, type Config } from '../../src/config/config';
import { importOrg } from '../../src/people/org-import';
import type { Actor, Turn } from '../../src/core/types';

export interface TestCore extends Core {
  dir: string;
  /** Imports an organisation CSV body (header added for you when `rows` are given without it). */
  importOrg(csv: string): void;
  /** A turn as an employee (or guest id) through the router. */
  ask(employeeId: string, text: string, surface?: Turn['surface']): ReturnType<Core['router']['handle']>;
  actor(employeeId: string): Actor;
}

export const ORG_HEADER = 'employee_id,name,email,manager_id,slack_user_id,teams_aad_object_id,timezone,locale';

export function tempDir(prefix = 'tsumiki-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function testConfig(env: Record<string, string> = {}, dir = tempDir()): Config {
  return loadConfig({ NODE_ENV: 'test', TSUMIKI_DB: path.join(dir, 'tsumiki.db'), TSUMIKI_PLAYGROUND: 'off', TSUMIKI_SCHEDULER: 'off', ...env });
}

export function makeTestCore(env: Record<string, string> = {}, options: { clock?: () => Date } = {}): TestCore {
  const dir = tempDir();
  const config = testConfig(env, dir);
  const core = buildCore(config, pino({ level: 'silent' }), { clock: options.clock });
  const close = core.close;
  const test: TestCore = Object.assign(core, {
    dir,
    importOrg(csv: string) {
      const body = csv.trimStart().startsWith('employee_id') ? csv : `${ORG_HEADER}\n${csv.trim()}\n`;
      const result = importOrg(core.db, core.people, body);
      if (result.problems.length > 0) throw new Error(`org import problems: ${JSON.stringify(result.problems)}`);
    },
    actor(employeeId: string) {
      return core.actors.forEmployee(employeeId);
    },
    ask(employeeId: string, text: string, surface: Turn['surface'] = 'cli') {
      const actor = core.actors.forEmployee(employeeId);
      return core.router.handle({ actor, surface, threadKey: `test:${actor.personId}`, text });
    },
    close: async () => {
      await close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  });
  return test;
}
