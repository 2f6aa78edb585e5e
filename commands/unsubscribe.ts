import { z } from 'zod';
import { answer, notice } from '../src/core/reply.js';
import { quote } from '../src/core/request.js';
import { askerOf, describeSubject, describeTarget, sellerNamed, subscriptionCommand } from '../src/subscriptions/command.js';
import type { Subscription } from '../src/subscriptions/schema.js';

/** "all" as people type it. */
const ALL = new Set(['all', 'everything', 'all of them', '全部', '所有']);

export const unsubscribe = subscriptionCommand({
  name: 'unsubscribe',
  description: 'Stop a subscription or alert: by its id, a seller, digest, or all',
  options: z.object({
    what: z.string().trim().min(1).max(200).meta({ description: 'An id from /subscriptions, a seller, digest, or all', usage: '<id|company|digest|all>' }),
  }),
  examples: ['s4k2q9x', 'xiaomi', 'digest', 'all'],
  async run(input, ctx, store) {
    const asker = askerOf(ctx);
    if ('kind' in asker) return asker;
    const what = ('text' in input ? input.text : input.options.what).trim();
    const mine = await store.of(asker.platform, asker.owner);
    const lower = what.toLowerCase();
    let chosen: Subscription[];
    if (ALL.has(lower)) chosen = mine;
    else if (lower === 'digest') chosen = mine.filter((s) => s.subject.kind === 'digest');
    else if (/^s[0-9a-z]{6}$/.test(lower)) chosen = mine.filter((s) => s.id === lower);
    else {
      const named = sellerNamed(ctx.data, what, '/unsubscribe {name}');
      if ('kind' in named) return named;
      chosen = mine.filter((s) => s.subject.kind !== 'digest' && s.subject.seller === named.seller.id);
    }
    if (chosen.length === 0) {
      return notice(`Nothing to remove for ${quote(what)}`, [mine.length === 0 ? 'You have no subscriptions.' : 'None of your subscriptions matches it; /subscriptions lists them with their ids.'], ['/subscriptions']);
    }
    const removed = await store.remove(asker.platform, asker.owner, chosen.map((s) => s.id));
    return answer(`Removed ${removed.length} subscription${removed.length === 1 ? '' : 's'}`, [
      { type: 'text', lines: removed.map((s) => `${s.id}: ${describeSubject(ctx.data, s.subject)}, to ${describeTarget(s.target)}`) },
    ], [], ['/subscriptions']);
  },
});
