/**
 * `--chart FILE` for `npm run ask` and `npm run digest -- --dry-run`: the reply's chart written as the same PNG
 * Discord attaches, so anyone can look at a chart without a workspace. With several charts (the digest's ranking
 * and trend) the first goes to FILE and the next to FILE-2.png, and so on.
 */
import { writeFile } from 'node:fs/promises';
import { chartPng } from '../../charts/png.js';
import type { Reply } from '../../core/reply.js';

/** The files written, in order; empty when the reply has no chart. */
export async function writeChartFiles(reply: Reply, file: string): Promise<string[]> {
  const charts = reply.blocks.flatMap((b) => (b.type === 'chart' ? [b.chart] : []));
  const names = charts.map((_, i) => (i === 0 ? file : file.replace(/(\.png)?$/i, `-${i + 1}.png`)));
  for (const [i, chart] of charts.entries()) await writeFile(names[i]!, await chartPng(chart));
  return names;
}
