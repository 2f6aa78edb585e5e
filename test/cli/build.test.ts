/**
 * The compiled build and the README's commands exactly as written: `npm start` runs dist/ with plain node, and every
 * command whose output is redirected gives clean output (no npm banner in the JSON).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCommand } from '../support/child.js';

const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
/** Every shell command line in the README (code blocks and inline code) that runs an npm script. */
const npmLines = [...README.matchAll(/`([^`\n]*npm run[^`\n]*)`|^(?:\d+\.\s+)?([^\n`]*npm run[^\n]*)$/gm)]
  .map((m) => (m[1] ?? m[2] ?? '').trim())
  .filter((l) => /^(?:printf .*\| )?npm run/.test(l));

beforeAll(async () => {
  // Builds dist/ when it is missing or stale, as `npm start` does on a fresh clone (the first build takes a while).
  const r = await runCommand(process.execPath, ['scripts/run.mjs', '--build'], { timeoutMs: 180_000 });
  expect(r.stderr + r.stdout).toBe('');
  expect(r.code).toBe(0);
}, 200_000);

describe('the README\'s redirected commands', () => {
  it('every npm command whose output is redirected or piped uses --silent', () => {
    const redirected = npmLines.filter((l) => /npm run[^#]*(?:>|\|)/.test(l.replace(/^printf .*?\| /, '')));
    expect(redirected.length).toBeGreaterThanOrEqual(2);
    for (const line of redirected) expect(line, line).toMatch(/npm run (?:--silent|-s) /);
  });

  it('the Socket Mode manifest command, exactly as written, prints JSON that parses', async () => {
    const line = npmLines.find((l) => l.includes('slack:manifest') && l.includes('--socket'))!;
    expect(line).toBe('npm run --silent slack:manifest -- --socket > slack-manifest.json');
    const r = await runCommand('/bin/sh', ['-c', line.replace(/\s*>\s*slack-manifest\.json$/, '')], { timeoutMs: 60_000 });
    expect(r.code).toBe(0);
    const manifest = JSON.parse(r.stdout) as { settings: { socket_mode_enabled: boolean } };
    expect(manifest.settings.socket_mode_enabled).toBe(true);
  });

  it('ask --json, exactly as written, prints one JSON document', async () => {
    const line = npmLines.find((l) => l.includes('ask -- --json "'))!.replace(/\s+#.*$/, '');
    const r = await runCommand('/bin/sh', ['-c', line], { timeoutMs: 60_000 });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { kind: string }).kind).toBe('answer');
  });
});

describe('the compiled build', () => {
  it('runs with plain node, no TypeScript loader: start to an answer, then quit', async () => {
    const r = await runCommand(process.execPath, ['dist/src/main.js'], { input: '/sales xiaomi april public\nquit\n' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Xiaomi sold 28,585 vehicles in April 2025.');
    expect(r.stderr).toBe('');
  });

  it('npm start runs dist/ and answers (no build when dist/ is current)', async () => {
    const r = await runCommand('npm', ['start'], { input: '/partners huawei\nexit\n', timeoutMs: 60_000 });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('> node scripts/run.mjs src/main.js');
    expect(r.stdout).toContain('Maextro');
    expect(r.stderr).not.toContain('building');
  });

  it('package.json runs no entry point through tsx, except dev and bench', () => {
    const { scripts } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    for (const name of ['start', 'ask', 'digest', 'slack:manifest', 'discord:deploy']) {
      expect(scripts[name], name).toMatch(/^node scripts\/run\.mjs src\/.+\.js$/);
    }
  });
});
