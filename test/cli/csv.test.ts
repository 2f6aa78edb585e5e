/**
 * CSV from the terminal, as a user runs it: `npm run ask -- --csv FILE`, a trailing `csv` (./<name>.csv in the
 * current directory) and the console; the files read back equal the reply's figures (values, qualifiers, sources).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bot } from '../../src/core/bot.js';
import { makeBot } from '../support/bot.js';
import { runScript } from '../support/child.js';
import { expectedRows, readCsv } from '../support/csv.js';
import { BUNDLED_DATA } from '../support/data-dir.js';

let bot: Bot;
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'salesbot-csv-'));
  dirs.push(dir);
  return dir;
};
beforeAll(async () => {
  bot = await makeBot();
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const env = { DATA_DIR: BUNDLED_DATA };

describe('npm run ask', () => {
  it('--csv FILE writes the figures beside the answer, and says where', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'out.csv');
    const r = await runScript('src/cli/ask.ts', ['--csv', file, '/compare xiaomi huawei may'], { env: { ...env, STATE_DIR: dir } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Xiaomi vs Huawei (HIMA), May 2025');
    expect(r.stderr).toContain(`CSV written to ${file}`);
    expect(readCsv(readFileSync(file))).toEqual(expectedRows(bot.handleLine('/compare xiaomi huawei may', { platform: 'cli' })));
  });

  it('a trailing csv writes ./sales-xiaomi-2025-05.csv in the current directory; "csv" is not read as a name', async () => {
    const dir = tempDir();
    const r = await runScript('src/cli/ask.ts', ['/sales xiaomi may csv'], { cwd: dir, env: { ...env, STATE_DIR: dir } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Xiaomi sold over 28,000 vehicles in May 2025');
    expect(r.stdout).not.toContain('"csv"');
    const rows = readCsv(readFileSync(path.join(dir, 'sales-xiaomi-2025-05.csv')));
    expect(rows).toEqual([expect.objectContaining({ seller: 'xiaomi', month: '2025-05', units: '28000', qualifier: 'at_least', reported_as: 'over 28,000' })]);
  });

  it('an answer without figures: nothing to export, no file', async () => {
    const dir = tempDir();
    const r = await runScript('src/cli/ask.ts', ['/digest june 2031 csv'], { cwd: dir, env: { ...env, STATE_DIR: dir } });
    expect(r.stdout).toContain('Nothing to export');
    expect(readdirSync(dir).filter((f) => f.endsWith('.csv'))).toEqual([]);
  });
});

describe('the console', () => {
  it('a trailing csv writes the file in the current directory and prints its path', async () => {
    const dir = tempDir();
    const r = await runScript('src/main.ts', [], { cwd: dir, env: { ...env, STATE_DIR: dir, LOG_LEVEL: '' }, input: '/digest may csv\nquit\n' });
    expect(r.code).toBe(0);
    const file = path.join(dir, 'sales-hima-xiaomi-2025-04-to-2025-05.csv');
    expect(r.stdout).toContain(`CSV written to ${file}`);
    expect(existsSync(file)).toBe(true);
    expect(readCsv(readFileSync(file))).toEqual(expectedRows(bot.handleLine('/digest may', { platform: 'console' })));
  });
});
