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

export type Block =
  | { type: 'text'; lines: string[] }
  | { type: 'fields'; fields: { label: string; value: string }[] }
  | { type: 'table'; columns: string[]; rows: string[][]; align?: ('left' | 'right')[] }
  | { type: 'bars'; bars: Bar[] };

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
