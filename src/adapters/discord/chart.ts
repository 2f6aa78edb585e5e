/**
 * A reply's charts as PNG attachments for its embed: drawn server-side (ECharts SVG, then resvg with the bundled
 * CJK font; see src/charts/png.ts), cached by chart, rasterised off the event loop. A chart that cannot be drawn
 * is left to the text bars (the reply still goes out).
 */
import { chartPng } from '../../charts/png.js';
import type { Reply } from '../../core/reply.js';
import type { ChartFile } from './render.js';

/** Charts attached to one message at most: Discord shows one image per embed, ten embeds per message. */
const MAX_CHARTS = 4;

export async function chartFiles(reply: Reply, onError?: (err: unknown) => void): Promise<ChartFile[]> {
  if (reply.kind !== 'answer' || reply.silent) return [];
  const charts = reply.blocks.flatMap((b) => (b.type === 'chart' ? [b.chart] : [])).slice(0, MAX_CHARTS);
  try {
    const pngs = await Promise.all(charts.map((c) => chartPng(c)));
    return pngs.map((data, i) => ({ name: `chart-${i + 1}.png`, data }));
  } catch (err) {
    onError?.(err);
    return [];
  }
}
