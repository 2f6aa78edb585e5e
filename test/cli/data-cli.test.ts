import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScript } from '../support/child.js';
import { dataDirWith, removeDataDirs, writeRaw } from '../support/data-dir.js';

afterAll(removeDataDirs);

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/import');
const SAMPLE = path.resolve(import.meta.dirname, '../../data/samples/figures-2025-06.csv');

describe('npm run data:check', () => {
  it('prints a summary of a valid dataset and exits 0', async () => {
    const dir = dataDirWith({ 'sales.json': (rows) => [...rows, { seller: 'xiaomi', month: '2025-06', units: 30000, qualifier: 'approximate', sources: ['cpca'] }] });
    const r = await runScript('src/cli/data-check.ts', [dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${dir}: valid (version `);
    expect(r.stdout).toContain('  sellers with figures: 2; figures: 5');
    expect(r.stdout).toContain('  months covered: 3 (April 2025 – June 2025)');
    expect(r.stdout).toContain('  bounds: 1 at least (a lower bound), 1 approximate, 3 exact');
    expect(r.stdout).toContain('  gaps: 1 (a seller without a figure for a month others have)\n    HIMA: June 2025');
    expect(r.stdout).toMatch(/sources: \d+; cited by figures: caixin-2025-06 \(4\), cpca \(3\)/);
  });

  it('lists every problem with file, item number and line, and exits 1 without a stack trace', async () => {
    const dir = dataDirWith({ 'sales.json': (rows) => rows.map((r, i) => (i === 3 ? { ...(r as object), units: '28k' } : r)) });
    writeRaw(dir, 'events.json', '\uFEFF[\n  {"id": "x",\n]');
    const r = await runScript('src/cli/data-check.ts', [dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${dir}/sales.json: item 4, units: expected a positive integer, got "28k"`);
    expect(r.stderr).toMatch(/events\.json: line 3, column 1: not valid JSON/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('npm run data:import and data:export', () => {
  it('imports the sample, refuses a bad file with exit 1, and exports what import reads back unchanged', async () => {
    const dir = dataDirWith();
    const done = await runScript('src/cli/data-import.ts', [SAMPLE, '--data-dir', dir]);
    expect(done.code).toBe(0);
    expect(done.stdout).toContain('figures-2025-06.csv: added 2, unchanged 1, replaced 0');

    const bad = await runScript('src/cli/data-import.ts', [path.join(FIXTURES, 'bad.csv'), '--data-dir', dir]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('bad.csv, row 8, column units: "28k" is not a whole number of vehicles');
    expect(bad.stderr).toContain('nothing was written');
    expect(bad.stderr).not.toMatch(/\n\s+at /);

    const out = path.join(mkdtempSync(path.join(tmpdir(), 'salesbot-export-')), 'sales.csv');
    const exported = await runScript('src/cli/data-export.ts', ['--format', 'csv', '--out', out, '--data-dir', dir]);
    expect(exported.code).toBe(0);
    expect(readFileSync(out, 'utf8').split('\n')[0]).toBe('seller,month,units,qualifier,reported_as,source,as_of,note');
    const again = await runScript('src/cli/data-import.ts', [out, '--data-dir', dir]);
    expect(again.stdout).toContain('sales.csv: added 0, unchanged 6, replaced 0');
  }, 60_000);

  it('explains a missing file or a bad flag', async () => {
    const missing = await runScript('src/cli/data-import.ts', ['nowhere.csv', '--data-dir', dataDirWith()]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('nowhere.csv: file not found');
    const flag = await runScript('src/cli/data-export.ts', ['--format', 'pdf']);
    expect(flag.code).toBe(64);
    expect(flag.stderr).toContain('--format pdf: only csv is supported');
  }, 40_000);
});
