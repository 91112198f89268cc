import { makeKb, md, training, type KbFixture } from './helpers';

const posting = (id: string, deadline: string, body = '## 概要\n営業職の募集です。') =>
  md({ id, kind: 'posting', title: `公募 ${id}`, lang: 'ja', url: `https://intra.example.com/postings/${id}`, skills: ['営業'], department: '営業本部', location: '東京', deadline, eligibility: '現職2年以上' }, body);

describe('ingestion: bad input is reported and the rest is indexed', () => {
  let fx: KbFixture;
  beforeEach(() => {
    fx = makeKb({ maxFileBytes: 4096 });
  });
  afterEach(() => fx.close());

  it('reports every kind of bad file with its path and reason', async () => {
    fx.write('trainings/good.md', training('trn-good', '良い研修', '## 概要\n正しい文書です。'));
    fx.write('trainings/no-id.md', md({ kind: 'training', title: 'x', lang: 'ja', url: 'https://x.example/1' }));
    fx.write('trainings/z-dup.md', training('trn-good', '重複', '## 概要\n同じ id です。'));
    fx.write('trainings/kind.md', md({ id: 'x-1', kind: 'webinar', title: 'x', lang: 'ja', url: 'https://x.example/1' }));
    fx.write('postings/date.md', posting('pst-bad', '2026-02-30'));
    fx.write('trainings/yaml.md', '---\nid: trn-y\ntitle: [unclosed\n---\n本文\n');
    fx.write('trainings/empty.md', '');
    fx.write('trainings/binary.md', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]));
    fx.write('trainings/big.md', training('trn-big', '大きい', '## 概要\n' + 'あ'.repeat(5000)));
    fx.write('trainings/nofront.md', '# タイトルだけ\n本文\n');

    const report = await fx.kb.ingest(fx.dataDir);
    const reasons = Object.fromEntries(report.problems.map((p) => [p.path, p.reason]));
    expect(reasons['trainings/no-id.md']).toMatch(/^id is missing/);
    expect(reasons['trainings/z-dup.md']).toBe('duplicate id trn-good (already used by trainings/good.md)');
    expect(reasons['trainings/kind.md']).toMatch(/kind must be training, posting, shadowing or guide/);
    expect(reasons['postings/date.md']).toMatch(/deadline is not an ISO date/);
    expect(reasons['trainings/yaml.md']).toMatch(/invalid YAML front matter/);
    expect(reasons['trainings/empty.md']).toBe('the file is empty');
    expect(reasons['trainings/binary.md']).toMatch(/binary file/);
    expect(reasons['trainings/big.md']).toMatch(/over the limit of 4096 bytes/);
    expect(reasons['trainings/nofront.md']).toMatch(/no YAML front matter/);
    expect(report.problems).toHaveLength(9);

    expect(fx.kb.stats().documents).toBe(1);
    expect((await fx.kb.search('良い研修'))[0]?.document.id).toBe('trn-good');

    // Unchanged bad files are reported again on the next run without being re-read.
    const again = await fx.kb.ingest(fx.dataDir);
    expect(again.unchanged).toBe(10);
    expect(again.problems).toHaveLength(9);
  });

  it('keeps the good records of a CSV or JSON batch and names the bad ones', async () => {
    fx.write(
      'batches/t.csv',
      'id,kind,title,lang,url,skills,format,hours,level,body\n' +
        'trn-c1,training,簿記入門,ja,https://x.example/c1,簿記;会計,online,6,入門,"## 概要\n仕訳を学びます。"\n' +
        ',training,id なし,ja,https://x.example/c2,,online,6,入門,本文\n',
    );
    fx.write(
      'batches/p.json',
      JSON.stringify([
        { id: 'pst-j1', kind: 'posting', title: 'Legal Counsel', lang: 'en', url: 'https://x.example/j1', skills: ['Contracts'], department: 'Legal', deadline: '2099-01-31', body: '## Overview\nInternational contracts.' },
        { id: 'pst-j2', kind: 'posting', title: 'No deadline', lang: 'en', url: 'https://x.example/j2', department: 'Legal', body: 'text' },
      ]),
    );
    fx.write('batches/broken.json', '{ not json');
    const report = await fx.kb.ingest(fx.dataDir);
    expect(report.problems).toEqual(
      expect.arrayContaining([
        { path: 'batches/t.csv', reason: expect.stringMatching(/^row 3: id is missing/) },
        { path: 'batches/p.json', reason: expect.stringMatching(/^item 2 \(id pst-j2\): deadline is missing/) },
        { path: 'batches/broken.json', reason: expect.stringMatching(/^invalid JSON/) },
      ]),
    );
    expect(fx.kb.getDocument('trn-c1')?.skills).toEqual(['簿記', '会計']);
    expect(fx.kb.getDocument('pst-j1')?.deadline).toBe('2099-01-31');
    expect((await fx.kb.search('簿記'))[0]?.document.id).toBe('trn-c1');
  });
});

describe('ingestion: incremental', () => {
  let fx: KbFixture;
  beforeEach(() => {
    fx = makeKb();
  });
  afterEach(() => fx.close());

  it('adds, changes and removes, re-processing only what changed', async () => {
    fx.write('a.md', training('trn-1', '財務入門', '## 概要\n財務諸表を読みます。'));
    fx.write('b.md', training('trn-2', '品質管理', '## 概要\nQC七つ道具を学びます。'));
    expect(await fx.kb.ingest(fx.dataDir)).toMatchObject({ added: 2, changed: 0, removed: 0, unchanged: 0 });

    const untouched = await fx.kb.ingest(fx.dataDir);
    expect(untouched).toMatchObject({ added: 0, changed: 0, removed: 0, unchanged: 2, chunks: 0 });

    fx.write('a.md', training('trn-1', '財務入門', '## 概要\n予算管理を学びます。'));
    fx.remove('b.md');
    fx.write('c.md', training('trn-3', '法人営業', '## 概要\n提案営業の講座です。'));
    expect(await fx.kb.ingest(fx.dataDir)).toMatchObject({ added: 1, changed: 1, removed: 1, unchanged: 0 });

    expect(fx.kb.getDocument('trn-2')).toBeUndefined();
    expect(await fx.kb.search('品質')).toEqual([]);
    expect((await fx.kb.search('予算'))[0]?.document.id).toBe('trn-1');
    expect(await fx.kb.search('財務諸表')).not.toContainEqual(expect.objectContaining({ text: expect.stringContaining('財務諸表を読みます') }));
    expect(fx.kb.stats()).toMatchObject({ documents: 2, chunks: 2 });
  });

  it('treats a touched file with the same content as unchanged', async () => {
    fx.write('a.md', training('trn-1', '財務入門', '## 概要\n財務諸表を読みます。'));
    await fx.kb.ingest(fx.dataDir);
    fx.write('a.md', training('trn-1', '財務入門', '## 概要\n財務諸表を読みます。'));
    expect(await fx.kb.ingest(fx.dataDir)).toMatchObject({ added: 0, changed: 0, unchanged: 1 });
  });

  it('lets a document move to another file in one run', async () => {
    fx.write('old.md', training('trn-1', '財務入門', '## 概要\n財務諸表を読みます。'));
    await fx.kb.ingest(fx.dataDir);
    fx.remove('old.md');
    fx.write('new.md', training('trn-1', '財務入門', '## 概要\n財務諸表を読みます。'));
    const report = await fx.kb.ingest(fx.dataDir);
    expect(report.problems).toEqual([]);
    expect(fx.kb.getDocument('trn-1')?.path).toBe('new.md');
  });

  it('leaves the previous index usable when a run fails', async () => {
    fx.write('a.md', training('trn-1', '財務入門', '## 概要\n財務諸表を読みます。'));
    await fx.kb.ingest(fx.dataDir);
    // Make the database refuse this run's writes part-way through.
    fx.db.exec("CREATE TEMP TRIGGER fail_ingest BEFORE INSERT ON kb_chunks WHEN NEW.text LIKE '%BOOM%' BEGIN SELECT RAISE(ABORT, 'disk trouble'); END");
    fx.write('a.md', training('trn-1', '財務入門', '## 概要\n予算管理を学びます。'));
    fx.write('b.md', training('trn-2', '爆発', '## 概要\nBOOM'));
    // Compared by message: better-sqlite3's SqliteError comes from another realm than jest's Error.
    const outcome = await fx.kb.ingest(fx.dataDir).then(
      (report) => ({ report }),
      (error: unknown) => ({ error: (error as Error).message }),
    );
    expect(outcome).toEqual({ error: 'disk trouble' });

    expect(fx.kb.isUsable()).toBe(true);
    expect((await fx.kb.search('財務諸表'))[0]?.document.id).toBe('trn-1');
    expect(fx.kb.getDocument('trn-2')).toBeUndefined();

    fx.db.exec('DROP TRIGGER fail_ingest');
    expect(await fx.kb.ingest(fx.dataDir)).toMatchObject({ added: 1, changed: 1 });
    expect((await fx.kb.search('予算'))[0]?.document.id).toBe('trn-1');
  });

  it('reports a missing data folder clearly', async () => {
    await expect(fx.kb.ingest(`${fx.dataDir}/nope`)).rejects.toThrow(/does not exist/);
  });
});
