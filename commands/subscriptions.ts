import { z } from 'zod';
import { answer, notice } from '../src/core/reply.js';
import { formatMonth } from '../src/sales/months.js';
import { askerOf, describeSubject, describeTarget, subscriptionCommand } from '../src/subscriptions/command.js';
import { SUBSCRIPTION_LIMIT } from '../src/subscriptions/store.js';

export const subscriptions = subscriptionCommand({
  name: 'subscriptions',
  description: 'Your subscriptions and alerts, with their ids (to remove one: /unsubscribe <id>)',
  options: z.object({}),
  examples: [''],
  async run(_input, ctx, store) {
    const asker = askerOf(ctx);
    if ('kind' in asker) return asker;
    const mine = await store.of(asker.platform, asker.owner);
    if (mine.length === 0) {
      return notice('You have no subscriptions', ['Subscribe to a seller\'s new months, the monthly digest, or an alert.'], ['/subscribe xiaomi', '/subscribe digest', '/alert xiaomi below 30000']);
    }
    const rows = mine.map((s) => [s.id, describeSubject(ctx.data, s.subject), describeTarget(s.target), s.since ? `after ${formatMonth(s.since)}` : 'every month']);
    return answer(`Your subscriptions (${mine.length} of ${SUBSCRIPTION_LIMIT})`, [
      { type: 'table', columns: ['Id', 'What', 'Where', 'Months'], rows },
      { type: 'text', lines: ['/unsubscribe <id> removes one; /unsubscribe all removes them all.'] },
    ], [], [`/unsubscribe ${mine[0]!.id}`]);
  },
});
