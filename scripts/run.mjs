#!/usr/bin/env node
// Runs one of the bot's entry points from the compiled JavaScript in dist/, building it first when dist/ is
// missing or older than the sources (so `npm ci && npm start` works on a fresh clone). Plain JavaScript, so it
// needs neither tsx nor TypeScript when dist/ is current (a production install).
//
//   node scripts/run.mjs src/main.js [args…]   what `npm start` runs (likewise src/cli/ask.js, …)
//   node scripts/run.mjs --build               what `npm run build` runs: tsc -p tsconfig.build.json
//
// Anything the build prints goes to stderr: stdout belongs to the entry point (`npm run --silent ask -- --json`).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'dist');
/** Written after every successful build; dist/ is current when it is newer than every source. */
const STAMP = path.join(DIST, '.build-stamp');
const SOURCES = ['src', 'commands', 'tsconfig.json', 'tsconfig.build.json'];
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/** The newest modification time under `p` (directories count too: a deleted file changes its directory). */
function newest(p) {
  let stat;
  try {
    stat = statSync(p);
  } catch {
    return 0;
  }
  let t = stat.mtimeMs;
  if (stat.isDirectory()) for (const name of readdirSync(p)) t = Math.max(t, newest(path.join(p, name)));
  return t;
}

function stampTime() {
  try {
    return statSync(STAMP).mtimeMs;
  } catch {
    return 0;
  }
}

function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function build(reason) {
  if (!existsSync(TSC)) fail(`${reason || 'Cannot build'}: TypeScript is not installed (a production install?). Build before pruning: npm ci && npm run build && npm prune --omit=dev`);
  if (reason) process.stderr.write(`${reason}: building it (npm run build)…\n`);
  const started = Date.now();
  const r = spawnSync(process.execPath, [TSC, '-p', path.join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: ['ignore', 2, 2] });
  if (r.status !== 0) fail(`The build failed${r.error ? ` (${r.error.message})` : ' (the TypeScript errors are above)'}; dist/ was not updated.`);
  writeFileSync(STAMP, `${new Date(started).toISOString()}\n`);
  // The stamp's time is when the build started: a file saved during the build still counts as newer.
  utimesSync(STAMP, new Date(started), new Date(started));
}

const [, , first, ...rest] = process.argv;
if (first === '--build') {
  build('');
} else {
  if (!first) fail('Usage: node scripts/run.mjs <entry, e.g. src/main.js> [args…]');
  const entry = path.join(DIST, first);
  const built = stampTime();
  if (!built || !existsSync(entry)) build('dist/ is missing');
  // A deployment that ships dist/ without the sources is current by definition.
  else if (existsSync(path.join(ROOT, 'src')) && Math.max(...SOURCES.map((s) => newest(path.join(ROOT, s)))) > built) {
    if (existsSync(TSC)) build('dist/ is older than the sources');
    else process.stderr.write('Note: dist/ is older than the sources and TypeScript is not installed to rebuild it; running dist/ as built.\n');
  }
  if (!existsSync(entry)) fail(`No such entry point: ${path.relative(ROOT, entry)}`);
  // The entry reads its own arguments from process.argv[2…], as when run directly.
  process.argv = [process.argv[0], entry, ...rest];
  await import(pathToFileURL(entry).href);
}
