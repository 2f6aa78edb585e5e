import { afterAll, describe, expect, it } from 'vitest';
import { runScript } from '../support/child.js';
import { dataDirWith, removeDataDirs } from '../support/data-dir.js';

afterAll(removeDataDirs);

describe('npm run ask', () => {
  it('prints the plain-text reply and exits 0', async () => {
    const r = await runScript('src/cli/ask.ts', ['/sales xiaomi april']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Xiaomi sold 28,585 vehicles in April 2025.');
    expect(r.stdout).toContain('China Passenger Car Association');
  });

  it('ignores a trailing "public" (a Slack word), not reading it as a name', async () => {
    const r = await runScript('src/cli/ask.ts', ['/sales xiaomi april public']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Xiaomi sold 28,585 vehicles in April 2025.');
  });

  it('--json prints the reply document with a text field', async () => {
    const r = await runScript('src/cli/ask.ts', ['--json', '/compare xiaomi huawei april']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { kind: string; title: string; text: string; sources: unknown[] };
    expect(doc.kind).toBe('answer');
    expect(doc.title).toBe('Xiaomi vs Huawei (HIMA), April 2025');
    expect(doc.text).toContain('Xiaomi is ahead by 1,030.');
    expect(doc.sources.length).toBeGreaterThan(0);
    const { figures, query } = JSON.parse(r.stdout) as { figures: { seller: string; month: string; units: number; qualifier: string; sources: string[] }[]; query: { ask: string; subjects: string[]; months: string[] } };
    expect(figures.map((f) => [f.seller, f.month, f.units, f.qualifier])).toEqual([['xiaomi', '2025-04', 28585, 'exact'], ['hima', '2025-04', 27555, 'exact']]);
    expect(figures[0]!.sources).toContain('cpca');
    expect(query).toMatchObject({ ask: 'compare', subjects: ['xiaomi', 'huawei'], months: ['2025-04'] });
  });

  it('--json with no query answers one query a line from stdin (batch mode)', async () => {
    const r = await runScript('src/cli/ask.ts', ['--json'], { input: '/sales xiaomi april\n\n/sales tesla\n/partners huawei\n' });
    expect(r.code).toBe(0);
    const docs = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { input: string; kind: string; text: string });
    // One line out per line in, blank ones included, so output lines up with input.
    expect(docs.map((d) => d.input)).toEqual(['/sales xiaomi april', '', '/sales tesla', '/partners huawei']);
    expect(docs.map((d) => d.kind)).toEqual(['answer', 'notice', 'notice', 'answer']);
    expect(docs[3]!.text).toContain('Shangjie');
  });

  it('exits non-zero with the file, path and problem when the data is broken', async () => {
    const dir = dataDirWith({ 'sales.json': (rows) => rows.map((r, i) => (i === 3 ? { ...(r as object), units: '28k' } : r)) });
    const r = await runScript('src/cli/ask.ts', ['/sales xiaomi april'], { env: { DATA_DIR: dir } });
    expect(r.code).not.toBe(0);
    // The problem's place in the file, in the loader's words ("[3].units", or "item 4, units").
    expect(r.stderr).toMatch(/sales\.json: (?:\[3\]\.units|item 4, units): expected a positive integer, got "28k"/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.stdout).toBe('');
  });

  it('exits non-zero naming the variable when the configuration is wrong', async () => {
    const r = await runScript('src/cli/ask.ts', ['/help'], { env: { SLACK_PORT: 'eighty', LOG_LEVEL: 'loud' } });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('SLACK_PORT: expected a port number from 1 to 65535, got "eighty"');
    expect(r.stderr).toContain('LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "loud"');
  });
});

describe('npm start (console adapter)', () => {
  it('answers piped commands and questions, then exits', async () => {
    const r = await runScript('src/main.ts', [], { input: '/sales xiaomi may\n/partners huawei\n' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Xiaomi sold over 28,000 vehicles in May 2025 (a lower bound).');
    expect(r.stdout).toContain('Maextro');
  });
});
