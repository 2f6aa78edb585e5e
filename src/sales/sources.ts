/** Source ids to the references a reply cites, deduplicated in first-seen order. */
import type { DatasetIndex } from '../data/index.js';
import type { SourceRef } from '../core/reply.js';

export function sourceRefs(data: DatasetIndex, ids: Iterable<string>): SourceRef[] {
  const out = new Map<string, SourceRef>();
  for (const id of ids) {
    const s = data.sources.get(id);
    if (s && !out.has(id)) out.set(id, { id, title: s.title, publisher: s.publisher });
  }
  return [...out.values()];
}
