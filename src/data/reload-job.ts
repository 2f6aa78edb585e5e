/**
 * Runs in a worker thread (see `reload.ts`): reads, parses, validates and cross-checks a data directory off
 * the main thread, then hands the validated records back in chunks, one per request, so the main thread
 * rebuilds them between answers instead of in one long pause.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { DataError, loadDataset, type LoadOptions } from './load.js';
import { DATA_FILES } from './schema.js';
import type { FromWorker, ToWorker } from './reload.js';

const { dir, options, chunkSize } = workerData as { dir: string; options: LoadOptions; chunkSize: number };
const port = parentPort!;

async function main(): Promise<void> {
  let loaded;
  try {
    loaded = await loadDataset(dir, options);
  } catch (err) {
    const message: FromWorker = err instanceof DataError
      ? { type: 'invalid', problems: err.problems, more: err.more }
      : { type: 'failed', message: err instanceof Error ? err.message : String(err) };
    port.postMessage(message);
    return;
  }
  const { data, version, present, realDir, digests } = loaded;
  const names = Object.keys(DATA_FILES) as (keyof typeof DATA_FILES)[];
  // The chunks, lazily: each is serialised only when asked for.
  function* chunks(): Generator<FromWorker> {
    for (const name of names) {
      const rows = data[name] as unknown[];
      if (rows.length === 0) continue;
      for (let i = 0; i < rows.length; i += chunkSize) {
        yield { type: 'chunk', collection: name, json: JSON.stringify(rows.slice(i, i + chunkSize)) };
      }
    }
  }
  const counts = Object.fromEntries(names.map((n) => [n, data[n].length]));
  port.postMessage({ type: 'meta', version, present, realDir, digests, counts } satisfies FromWorker);
  const it = chunks();
  port.on('message', (msg: ToWorker) => {
    if (msg.type === 'stop') {
      port.close();
      return;
    }
    const next = it.next();
    port.postMessage(next.done ? ({ type: 'end' } satisfies FromWorker) : next.value);
    if (next.done) port.close();
  });
}

void main();
