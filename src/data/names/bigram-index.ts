/**
 * Aliases by bigram, for the typo search: which aliases share a bigram with what was typed and have a
 * length close to it.
 */
import { partitionPoint } from './partition-point.js';

/** Code units no normalised key contains, marking a key's start and end so edges count as bigrams. */
const START = 1;
const END = 2;

/** The distinct bigrams of `^key$`, as numbers. */
export function bigrams(key: string): number[] {
  const out: number[] = [];
  let before = START;
  for (let i = 0; i <= key.length; i++) {
    const c = i < key.length ? key.charCodeAt(i) : END;
    const gram = before * 65536 + c;
    if (!out.includes(gram)) out.push(gram);
    before = c;
  }
  return out;
}

/**
 * Aliases by bigram, each list ordered by key length then position, so "aliases with this bigram and a
 * length from lo to hi" is one contiguous run found by binary search. Flat typed arrays keep it compact.
 */
export class BigramIndex {
  private readonly slots = new Map<number, number>();
  private readonly lengths: Int32Array;
  private readonly offsets: Int32Array;
  private readonly postings: Int32Array;
  /** Alias positions ordered by key length, and where each length starts. */
  private readonly byLength: Int32Array;
  private readonly lengthStart: Int32Array;
  private readonly maxLength: number;

  constructor(keys: readonly string[]) {
    const count = keys.length;
    const lengths = new Int32Array(count);
    let maxLength = 0;
    for (let i = 0; i < count; i++) {
      lengths[i] = keys[i]!.length;
      maxLength = Math.max(maxLength, lengths[i]!);
    }
    this.lengths = lengths;
    this.maxLength = maxLength;
    // Counting sort by length; positions stay ascending within a length.
    this.lengthStart = new Int32Array(maxLength + 2);
    for (let i = 0; i < count; i++) this.lengthStart[lengths[i]! + 1]!++;
    for (let l = 1; l <= maxLength + 1; l++) this.lengthStart[l]! += this.lengthStart[l - 1]!;
    this.byLength = new Int32Array(count);
    const cursor = this.lengthStart.slice();
    for (let i = 0; i < count; i++) this.byLength[cursor[lengths[i]!]!++] = i;

    // Two passes: count each bigram's aliases, then fill the lists in (length, position) order.
    const gramsOf: number[][] = new Array(count);
    const sizes: number[] = [];
    for (let i = 0; i < count; i++) {
      const grams = bigrams(keys[i]!);
      const slots = grams.map((g) => {
        let slot = this.slots.get(g);
        if (slot === undefined) {
          slot = sizes.length;
          this.slots.set(g, slot);
          sizes.push(0);
        }
        sizes[slot]!++;
        return slot;
      });
      gramsOf[i] = slots;
    }
    this.offsets = new Int32Array(sizes.length + 1);
    for (let s = 0; s < sizes.length; s++) this.offsets[s + 1] = this.offsets[s]! + sizes[s]!;
    this.postings = new Int32Array(this.offsets[sizes.length]!);
    const fill = this.offsets.slice(0, sizes.length);
    for (const i of this.byLength) for (const slot of gramsOf[i]!) this.postings[fill[slot]!++] = i;
  }

  /** The run of `postings` holding aliases with this bigram and a key length in [lo, hi]. */
  run(gram: number, lo: number, hi: number): [number, number] {
    const slot = this.slots.get(gram);
    if (slot === undefined) return [0, 0];
    return [this.firstLonger(this.offsets[slot]!, this.offsets[slot + 1]!, lo - 1), this.firstLonger(this.offsets[slot]!, this.offsets[slot + 1]!, hi)];
  }

  posting(p: number): number {
    return this.postings[p]!;
  }

  /** Every alias with a key length in [lo, hi], as a run of `byLength`. */
  lengthRun(lo: number, hi: number): [number, number] {
    const clamp = (l: number) => Math.max(0, Math.min(l, this.maxLength + 1));
    return [this.lengthStart[clamp(lo)]!, this.lengthStart[clamp(hi + 1)]!];
  }

  byLengthAt(p: number): number {
    return this.byLength[p]!;
  }

  /** First position in [from, to) whose alias is longer than `length`. */
  private firstLonger(from: number, to: number, length: number): number {
    return partitionPoint(from, to, (p) => this.lengths[this.postings[p]!]! <= length);
  }
}
