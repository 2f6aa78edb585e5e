/**
 * The one binary search the name index needs: over a run [from, to) that is split in two (every position
 * before some point has a property, none after it), find that point.
 */
export function partitionPoint(from: number, to: number, before: (position: number) => boolean): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
