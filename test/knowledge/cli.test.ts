import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main';
import { md, tempDir } from './helpers';

function io() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += String(c)));
  stderr.on('data', (c) => (err += String(c)));
  return { io: { stdout, stderr, stdin: new PassThrough() }, out: () => out, err: () => err };
}

describe('tsumiki ingest and search', () => {
  const dir = tempDir('tsumiki-cli-kb-');
  const data = path.join(dir, 'data');
  const db = path.join(dir, 'kb.db');
  const saved = { ...process.env };
  beforeAll(() => {
    process.env.NODE_ENV = 'test';
    delete process.env.OPENAI_API_KEY;
    delete process.env.OPENAI_BASE_URL;
    delete process.env.AZURE_OPENAI_API_KEY;
    fs.mkdirSync(data);
    fs.writeFileSync(path.join(data, 'a.md'), md({ id: 'trn-001', kind: 'training', title: 'クラウド基礎 (AWS)', lang: 'ja', url: 'https://intra.example.com/training/trn-001', skills: ['AWS'] }, '## 概要\nAWS を学ぶ入門講座です。'));
    fs.writeFileSync(path.join(data, 'b.md'), md({ id: 'trn-002', kind: 'training', title: '財務入門', lang: 'ja', url: 'https://intra.example.com/training/trn-002', skills: ['財務'] }, '## 概要\n財務諸表を読みます。'));
    fs.writeFileSync(path.join(data, 'bad.md'), md({ kind: 'training', title: 'no id', lang: 'ja', url: 'https://x.example/1' }));
  });
  afterAll(() => {
    process.env = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('ingest prints a summary and names the bad file', async () => {
    const t = io();
    const code = await main(['ingest', '--data', data, '--db', db], t.io);
    expect(code).toBe(1);
    expect(t.out()).toBe('');
    expect(t.err()).toContain('bad.md: id is missing');
    expect(t.err()).toMatch(/files 3 added, 0 changed, 0 removed, 0 unchanged; 1 problem/);
  });

  it('search --json prints exactly one array of {id, kind, title, url, score}', async () => {
    const t = io();
    const code = await main(['search', 'ＡＷＳ', '--db', db, '--json', '--k', '3'], t.io);
    expect(code).toBe(0);
    const parsed = JSON.parse(t.out()) as Array<Record<string, unknown>>;
    expect(Array.isArray(parsed)).toBe(true);
    expect(parsed[0]).toEqual({ id: 'trn-001', kind: 'training', title: 'クラウド基礎 (AWS)', url: 'https://intra.example.com/training/trn-001', score: expect.any(Number) });
    expect(Object.keys(parsed[0]!).sort()).toEqual(['id', 'kind', 'score', 'title', 'url']);
    expect(new Set(parsed.map((p) => p.id)).size).toBe(parsed.length);
  });

  it('search without --json prints a readable list', async () => {
    const t = io();
    expect(await main(['search', '財務', '--db', db], t.io)).toBe(0);
    expect(t.out()).toMatch(/^1\. \[training\] 財務入門/);
  });

  it('search fills an empty index from the data folder first', async () => {
    const t = io();
    expect(await main(['search', '財務', '--db', path.join(dir, 'fresh.db'), '--data', data, '--json'], t.io)).toBe(0);
    expect((JSON.parse(t.out()) as Array<{ id: string }>)[0]?.id).toBe('trn-002');
  });

  it.each([
    [['search'], /expected 1 argument/],
    [['search', 'x', '--k', 'ten'], /--k must be a whole number/],
    [['search', '   '], /the query is empty/],
    [['search', 'x', '--bogus'], /Unknown option/],
  ])('usage error %j exits 2', async (argv, message) => {
    const t = io();
    expect(await main([...argv, '--db', db], t.io)).toBe(2);
    expect(t.err()).toMatch(message);
    expect(t.out()).toBe('');
  });
});
