/**
 * A chart as a PNG: the ECharts SVG (svg.ts) rasterised by resvg with bundled fonts from npm (Noto Sans, and Noto
 * Sans SC for Chinese names), so names are drawn as glyphs on any machine, fonts installed or not. Only adapters and CLIs
 * import this module.
 *
 * Rendering is kept off the answer path: resvg rasterises on libuv's thread pool (`renderAsync`), and results
 * are cached by the chart itself (its data is its whole content), so the same chart is drawn once per dataset.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { Resvg, renderAsync } from '@resvg/resvg-js';
import type { Chart } from '../core/reply.js';
import { CHART_SIZE, chartSvg } from './svg.js';

const require = createRequire(import.meta.url);

/** The bundled CJK font: Noto Sans SC (SIL Open Font License), for Chinese names. */
export const CHART_FONT_FILE: string = require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');
/** The bundled Latin font: Noto Sans (SIL Open Font License), for everything else. */
export const CHART_LATIN_FONT_FILE: string = require.resolve('@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf');

export interface PngOptions {
  width?: number;
  height?: number;
}

/** Chinese, Japanese or Korean text (CJK ideographs, kana, hangul, full-width forms): only then is the CJK font loaded. */
const NEEDS_CJK = /[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]|[\u{20000}-\u{3134f}]/u;

/**
 * resvg reads every font file it is given on every drawing, and the CJK face is 10 MB: loading it for a chart of
 * Latin names makes the drawing ten times slower. So it is given only to charts whose text needs it.
 */
function resvgOptions(svg: string) {
  const files = NEEDS_CJK.test(svg) ? [CHART_LATIN_FONT_FILE, CHART_FONT_FILE] : [CHART_LATIN_FONT_FILE];
  return {
    background: '#ffffff',
    fitTo: { mode: 'original' as const },
    font: { fontFiles: files, loadSystemFonts: false, defaultFontFamily: 'Noto Sans', sansSerifFamily: 'Noto Sans' },
  };
}

function svgOf(chart: Chart, options: PngOptions): string {
  return chartSvg(chart, { width: options.width ?? CHART_SIZE.width, height: options.height ?? CHART_SIZE.height });
}

/** Draws the chart now, on this thread (CLIs, tests). */
export function chartPngSync(chart: Chart, options: PngOptions = {}): Buffer {
  const svg = svgOf(chart, options);
  return new Resvg(svg, resvgOptions(svg)).render().asPng();
}

/** Draws the chart with the rasterising on the thread pool. */
export async function chartPngUncached(chart: Chart, options: PngOptions = {}): Promise<Buffer> {
  const svg = svgOf(chart, options);
  const image = await renderAsync(svg, resvgOptions(svg));
  return image.asPng();
}

/** The cache key: the chart's whole content and the size. */
export function chartKey(chart: Chart, options: PngOptions = {}): string {
  return createHash('sha256').update(JSON.stringify([chart, options.width ?? CHART_SIZE.width, options.height ?? CHART_SIZE.height])).digest('base64url');
}

const MAX_CACHED = 200;
const cache = new Map<string, Promise<Buffer>>();

/** The chart's PNG, drawn once: a second request for the same chart (same data) gets the same bytes. */
export function chartPng(chart: Chart, options: PngOptions = {}): Promise<Buffer> {
  const key = chartKey(chart, options);
  const hit = cache.get(key);
  if (hit) {
    // Most recently used last, so the oldest is evicted first.
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const drawing = chartPngUncached(chart, options);
  cache.set(key, drawing);
  drawing.catch(() => cache.delete(key));
  while (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value as string);
  return drawing;
}
