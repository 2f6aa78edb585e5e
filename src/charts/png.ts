/**
 * A chart as a PNG: the ECharts SVG (svg.ts) rasterised by resvg with a bundled CJK font (Noto Sans SC, from
 * npm), so Chinese names are drawn as glyphs on any machine, fonts installed or not. Only adapters and CLIs
 * import this module.
 *
 * Rendering is kept off the answer path: resvg rasterises on libuv's thread pool (`renderAsync`), and results
 * are cached by the chart itself (its data is its whole content), so the same chart is drawn once per dataset.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { Resvg, renderAsync } from '@resvg/resvg-js';
import type { Chart } from '../core/reply.js';
import { CHART_FONT_FAMILY, CHART_SIZE, chartSvg } from './svg.js';

const require = createRequire(import.meta.url);

/** The bundled font file: Noto Sans SC (SIL Open Font License), Latin and Chinese in one face. */
export const CHART_FONT_FILE: string = require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');

export interface PngOptions {
  width?: number;
  height?: number;
}

function resvgOptions() {
  return {
    background: '#ffffff',
    fitTo: { mode: 'original' as const },
    font: { fontFiles: [CHART_FONT_FILE], loadSystemFonts: false, defaultFontFamily: CHART_FONT_FAMILY, sansSerifFamily: CHART_FONT_FAMILY },
  };
}

function svgOf(chart: Chart, options: PngOptions): string {
  return chartSvg(chart, { width: options.width ?? CHART_SIZE.width, height: options.height ?? CHART_SIZE.height });
}

/** Draws the chart now, on this thread (CLIs, tests). */
export function chartPngSync(chart: Chart, options: PngOptions = {}): Buffer {
  return new Resvg(svgOf(chart, options), resvgOptions()).render().asPng();
}

/** Draws the chart with the rasterising on the thread pool. */
export async function chartPngUncached(chart: Chart, options: PngOptions = {}): Promise<Buffer> {
  const image = await renderAsync(svgOf(chart, options), resvgOptions());
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
