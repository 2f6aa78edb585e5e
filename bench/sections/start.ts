/**
 * Process start to first console answer, the bundled data, one query piped in, no platform configured: the compiled
 * build (`node dist/src/main.js`, and `node scripts/run.mjs src/main.js`, which is what `npm start` runs: it checks
 * dist/ is current first), and the TypeScript sources through tsx (`npm run dev`). Baselines from the same run: bare
 * Node, and Node with the tsx loader running an empty file. dist/ is built before the first run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { ms, times, type Line } from '../report.js';
import { median, nowMs } from '../stats.js';

const QUERY = '/sales xiaomi april';
/** Text the answer to QUERY contains (the bundled data's April 2025 figure for Xiaomi). */
const EXPECT = '28,585';

/** No platform, no health port, no digest: whatever `.env` says, the console answers. */
const CONSOLE_ONLY_ENV: Record<string, string> = {
  DATA_DIR: './data', LOG_LEVEL: 'warn', SLACK_BOT_TOKEN: '', SLACK_APP_TOKEN: '', SLACK_SIGNING_SECRET: '', DISCORD_TOKEN: '',
  DISCORD_APPLICATION_ID: '', HEALTH_PORT: '', DIGEST_SLACK_CHANNEL: '', DIGEST_DISCORD_CHANNEL: '',
};

/** Milliseconds from spawn to the first stdout output containing `expect`. */
function timeToOutput(command: string, args: string[], expect: string, input?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = nowMs();
    const child = spawn(command, args, { env: { ...process.env, ...CONSOLE_ONLY_ENV }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let done = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!done && out.includes(expect)) {
        done = true;
        resolve(nowMs() - started);
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => {
      if (!done) reject(new Error(`${[command, ...args].join(' ')} exited ${code} without "${expect}": ${(out + err).slice(0, 300)}`));
    });
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
  });
}

/**
 * The platform packages a console-only start loads, from Node's module debug log (the SDKs are CommonJS, so
 * every file they load is logged). The SDKs are imported only when configured: this should be none.
 */
function platformPackagesLoaded(): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['dist/src/main.js'], {
      env: { ...process.env, ...CONSOLE_ONLY_ENV, NODE_DEBUG: 'module' }, stdio: ['pipe', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', () => resolve([...new Set(err.match(/node_modules\/(@slack\/[\w-]+|discord\.js|@discordjs\/[\w-]+)\//g) ?? [])].map((m) => m.slice(13, -1))));
    child.stdin.end(`${QUERY}\n`);
  });
}

/** Milliseconds a fresh Node takes to import a package (median of `runs`): the libraries' share of a start. */
async function importMs(pkg: string, runs: number): Promise<number> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const script = `const t = performance.now(); await import(${JSON.stringify(pkg)}); process.stdout.write(String(performance.now() - t));`;
    const ms = await new Promise<number>((resolve, reject) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      child.stdout.on('data', (d: Buffer) => (text += d.toString()));
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve(Number(text)) : reject(new Error(`importing ${pkg} failed`))));
    });
    out.push(ms);
  }
  return median(out);
}

export interface StartResults {
  bareNode: number[];
  compiledMain: number[];
  npmStartLauncher: number[];
  tsxEmpty: number[];
  nodeTsxMain: number[];
  tsxCliMain: number[];
  platformPackages: string[];
  importMs: Record<string, number>;
}

export async function benchStart(runs: number): Promise<{ results: StartResults; lines: Line[] }> {
  const node = process.execPath;
  const built = spawnSync(node, ['scripts/run.mjs', '--build'], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (built.status !== 0) throw new Error('npm run build failed');
  const variants: [Exclude<keyof StartResults, 'platformPackages' | 'importMs'>, () => Promise<number>][] = [
    ['bareNode', () => timeToOutput(node, ['-e', 'process.stdout.write("ready\\n")'], 'ready')],
    ['compiledMain', () => timeToOutput(node, ['dist/src/main.js'], EXPECT, `${QUERY}\n`)],
    ['npmStartLauncher', () => timeToOutput(node, ['scripts/run.mjs', 'src/main.js'], EXPECT, `${QUERY}\n`)],
    ['tsxEmpty', () => timeToOutput(node, ['--import', 'tsx', 'bench/start-probe.ts'], 'ready')],
    ['nodeTsxMain', () => timeToOutput(node, ['--import', 'tsx', 'src/main.ts'], EXPECT, `${QUERY}\n`)],
    ['tsxCliMain', () => timeToOutput('node_modules/.bin/tsx', ['src/main.ts'], EXPECT, `${QUERY}\n`)],
  ];
  const results: StartResults = { bareNode: [], compiledMain: [], npmStartLauncher: [], tsxEmpty: [], nodeTsxMain: [], tsxCliMain: [], platformPackages: [], importMs: {} };
  // One untimed run each first (fills tsx's transform cache), then the variants interleaved.
  for (const [, run] of variants) await run();
  for (let r = 0; r < runs; r++) for (const [name, run] of variants) results[name].push(await run());
  results.platformPackages = await platformPackagesLoaded();
  for (const pkg of ['zod', 'pino', 'prom-client']) results.importMs[pkg] = await importMs(pkg, runs);
  const m = (name: Exclude<keyof StartResults, 'platformPackages' | 'importMs'>) => median(results[name]);
  const section = 'Start → first answer';
  return {
    results,
    lines: [
      {
        section, measure: `node dist/src/main.js <<< "${QUERY}" (compiled; median of ${runs})`, result: ms(m('compiledMain')), baseline: `bare node: ${ms(m('bareNode'))}`,
        ratio: times(m('compiledMain') / m('bareNode')), target: '< 400 ms', ok: m('compiledMain') < 400,
      },
      {
        section, measure: '  node scripts/run.mjs src/main.js (what npm start runs: dist/ checked current first)', result: ms(m('npmStartLauncher')),
        baseline: `bare node: ${ms(m('bareNode'))}`, ratio: times(m('npmStartLauncher') / m('bareNode')),
      },
      {
        section, measure: `node --import tsx src/main.ts (npm run dev)`, result: ms(m('nodeTsxMain')), baseline: `bare node: ${ms(m('bareNode'))}`,
        ratio: times(m('nodeTsxMain') / m('bareNode')),
      },
      { section, measure: '  tsx loader alone (empty .ts file)', result: ms(m('tsxEmpty')), baseline: `bare node: ${ms(m('bareNode'))}`, ratio: times(m('tsxEmpty') / m('bareNode')) },
      { section, measure: '  our modules + data + answer (main − empty .ts)', result: ms(m('nodeTsxMain') - m('tsxEmpty')) },
      {
        section, measure: '    of which importing libraries (fresh node, no tsx)',
        result: Object.entries(results.importMs).map(([pkg, t]) => `${pkg} ${ms(t)}`).join(', '),
      },
      { section, measure: 'tsx src/main.ts (the tsx CLI adds a second process)', result: ms(m('tsxCliMain')) },
      {
        section, measure: 'platform SDK packages loaded (none configured)', result: results.platformPackages.join(', ') || 'none',
        target: 'none', ok: results.platformPackages.length === 0,
      },
    ],
  };
}
