/**
 * The platform-neutral reply document every command and question returns.
 * Adapters render it (Block Kit, embeds, plain text); nothing here is platform markup.
 */

export interface Bar {
  label: string;
  value: number;
  /** The value shown beside the bar, e.g. "over 28,000". */
  display: string;
  /** The bar is a lower bound: renderers mark it open-ended. */
  lowerBound: boolean;
}

/** One value of a chart: the number drawn, the words shown for it, and how sure it is. */
export interface ChartValue {
  /** Drawn at this height; for a lower bound, the bound ("over 28,000" is drawn at 28,000 and marked open). */
  value: number;
  /** As the reply states it: "44,454", "over 28,000", "about 25,000". */
  display: string;
  /** `lower`: the true value may be larger (drawn open, marked "≥"); `approximate`: marked "~". */
  bound: 'exact' | 'lower' | 'approximate';
}

/** One series: a value per category, `null` where the data has none (never drawn as zero). */
export interface ChartSeries {
  name: string;
  values: (ChartValue | null)[];
}

/**
 * A chart as data, not pixels: each adapter draws it its own way (Slack's data_visualization block, a PNG on
 * Discord and in the CLI, plain words in the text fallback).
 */
export interface Chart {
  /** `line`: one or more sellers over months; `bar`: a ranking or a comparison. */
  kind: 'bar' | 'line';
  /** Short: platforms cut long titles (Slack allows 50 characters). */
  title: string;
  /** The x axis, in order: sellers or months. */
  categories: string[];
  series: ChartSeries[];
  /** What the values count, for the value axis: "vehicles". */
  unit: string;
  /** The same figures are in a table of the reply: the plain-text fallback leaves the chart out. */
  inTable?: boolean;
}

export type Block =
  | { type: 'text'; lines: string[] }
  | { type: 'fields'; fields: { label: string; value: string }[] }
  /** `caption` names a table of data (a ranking) that a platform may show as a native data table. */
  | { type: 'table'; columns: string[]; rows: string[][]; align?: ('left' | 'right')[]; caption?: string }
  | { type: 'bars'; bars: Bar[] }
  | { type: 'chart'; chart: Chart };

export interface SourceRef {
  id: string;
  title: string;
  publisher: string;
}

/** A figure a reply states, as data: scripts read it from `npm run ask -- --json`, charts draw from it. */
export interface StatedFigure {
  seller: string;
  month: string;
  units: number;
  qualifier: string;
  reportedAs?: string;
  sources: string[];
}

export interface Reply {
  /** `answer`: facts; `notice`: a friendly "I can't" (unknown name, no data, usage); `error`: our fault. */
  kind: 'answer' | 'notice' | 'error';
  title: string;
  blocks: Block[];
  sources: SourceRef[];
  /** Commands worth trying next, written as typed: "/sales xiaomi april". */
  suggestions: string[];
  /** A one-line hint, e.g. which command gives the same answer. */
  tip?: string;
  /** Send nothing at all (a rate-limited user already told to slow down). Adapters only acknowledge. */
  silent?: boolean;
  /** Every figure the reply states, in structured form. */
  figures?: StatedFigure[];
  /** What the request was read as (the domain's typed query), for scripts and logs. */
  query?: Readonly<Record<string, unknown>>;
}

export function answer(title: string, blocks: Block[], sources: SourceRef[] = [], suggestions: string[] = []): Reply {
  return { kind: 'answer', title, blocks, sources, suggestions };
}

/** What a user sees when answering failed on our side: a short apology quoting the request id in the log. */
export function apology(requestId: string): Reply {
  return {
    ...notice('Sorry, something went wrong on my side', [`Please try again in a moment. If it keeps happening, quote request id ${requestId}.`]),
    kind: 'error',
  };
}

export function notice(title: string, lines: string[], suggestions: string[] = []): Reply {
  return { kind: 'notice', title, blocks: lines.length ? [{ type: 'text', lines }] : [], sources: [], suggestions };
}
