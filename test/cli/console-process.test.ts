/** `npm start` in the console as a newcomer meets it: a copied .env.example, quitting, a broken data reload. */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runScript } from '../support/child.js';
import { BUNDLED_DATA, dataDirWith, removeDataDirs } from '../support/data-dir.js';
import { BotProcess } from '../support/process.js';

const temps: string[] = [];
afterAll(() => {
  removeDataDirs();
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

describe('a copied .env.example', () => {
  it('sets nothing: the console still opens and answers, with nothing on stderr', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'salesbot-env-'));
    temps.push(dir);
    copyFileSync(path.join(ROOT, '.env.example'), path.join(dir, '.env'));
    // LOG_LEVEL empty: whatever .env says decides (it says nothing).
    const r = await runScript('src/main.ts', [], { cwd: dir, env: { DATA_DIR: BUNDLED_DATA, LOG_LEVEL: '' }, input: '/sales xiaomi april\nquit\n' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Xiaomi sold 28,585 vehicles in April 2025.');
  });

  it('has every setting commented out', () => {
    const active = readFileSync(path.join(ROOT, '.env.example'), 'utf8').split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));
    expect(active).toEqual([]);
  });
});

describe('the console process', () => {
  it('quits on "quit" with exit code 0, answering nothing after it', async () => {
    const r = await runScript('src/main.ts', [], { input: '/sales xiaomi april public\nquit\n/partners huawei\n' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Xiaomi sold 28,585 vehicles in April 2025.');
    expect(r.stdout).not.toContain('Maextro');
  });

  it('a rejected data reload prints one readable line, not JSON with a stack trace, and keeps answering', async () => {
    const dir = dataDirWith();
    const bot = BotProcess.start({ DATA_DIR: dir });
    try {
      bot.child.stdin.write('/sales xiaomi april\n');
      await bot.waitFor(() => bot.stdout.includes('28,585'), 'the first answer');
      const salesFile = path.join(dir, 'sales.json');
      const rows = JSON.parse(readFileSync(salesFile, 'utf8')) as Record<string, unknown>[];
      writeFileSync(salesFile, JSON.stringify(rows.map((row, i) => (i === 3 ? { ...row, units: '28k' } : row))));
      await bot.waitFor(() => bot.stderr.includes('reload'), 'the reload message');
      await new Promise((r) => setTimeout(r, 300));
      const lines = bot.stderr.split('\n').filter(Boolean);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^error: data reload rejected; the previous data keeps serving: .*sales\.json: (?:\[3\]\.units|item 4, units): expected a positive integer, got "28k"$/);
      bot.child.stdin.write('/sales xiaomi april\n');
      await bot.waitFor(() => bot.stdout.split('28,585').length > 2, 'an answer from the old data');
    } finally {
      await bot.kill();
    }
  });
});
