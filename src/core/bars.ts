/** Horizontal bars drawn in text for chat (a monospace block), shared by every renderer. */
import type { Bar } from './reply.js';

export function drawBars(bars: readonly Bar[], width = 20): string[] {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const labelWidth = Math.max(...bars.map((b) => b.label.length), 0);
  return bars.map((b) => {
    const n = Math.max(1, Math.round((b.value / max) * width));
    // An open end (▶) marks a lower bound: the true bar may be longer.
    const bar = '█'.repeat(n) + (b.lowerBound ? '▶' : '');
    return `${b.label.padEnd(labelWidth)}  ${bar.padEnd(width + 1)} ${b.display}`;
  });
}
