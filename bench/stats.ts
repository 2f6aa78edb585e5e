/** Timing and percentiles: every latency in the report goes through these. */

export interface Summary {
  n: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((s, x) => s + x, 0) / (sorted.length || 1);
  return { n: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN, mean };
}

export function median(samples: readonly number[]): number {
  return percentile([...samples].sort((a, b) => a - b), 50);
}

const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

/**
 * Times `fn` once per input, in milliseconds, after `warmup` untimed calls (so the JIT has settled).
 * `sink` keeps results alive, so the work cannot be optimised away.
 */
export function timeEach<I>(inputs: readonly I[], fn: (input: I) => unknown, warmup = Math.min(1000, inputs.length)): number[] {
  const sink: unknown[] = [];
  for (let i = 0; i < warmup; i++) sink.push(fn(inputs[i % inputs.length]!));
  const out = new Array<number>(inputs.length);
  for (let i = 0; i < inputs.length; i++) {
    const started = nowMs();
    const result = fn(inputs[i]!);
    out[i] = nowMs() - started;
    if (i % 64 === 0) sink.push(result);
  }
  if (sink.length < 0) console.log(sink);
  return out;
}

export { nowMs };
