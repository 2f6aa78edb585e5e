import { z } from 'zod';
import { nameOption, usage } from '../src/core/command.js';
import { answer, notice, type Reply } from '../src/core/reply.js';
import { describeCondition, parseCondition, splitCondition } from '../src/subscriptions/alert.js';
import {
  askerOf, hereOption, consoleNote, describeSubject, describeTarget, newSubscription, sellerNamed, sinceLine, splitHere, subscriptionCommand, targetOf, whereOption,
} from '../src/subscriptions/command.js';

export const alert = subscriptionCommand({
  name: 'alert',
  description: "A DM when a seller's new month is below or above a number of units, or changes by more than a percentage",
  options: z.object({
    seller: nameOption('Company, alliance or brand, e.g. xiaomi', '<company>'),
    condition: z.string().trim().min(1).max(60).meta({ description: 'below 30000, above 30000, change below -5% or change above 10%', usage: '[change] below|above <units|percent%>' }),
    where: hereOption(),
  }),
  examples: ['xiaomi below 30000', 'hima change above 10%', 'xiaomi above 25000'],
  async run(input, ctx, store): Promise<Reply> {
    const asker = askerOf(ctx);
    if ('kind' in asker) return asker;
    let seller: string;
    let conditionText: string;
    let here: boolean;
    if ('text' in input) {
      const { rest, here: inChannel } = splitHere(input.text);
      const parts = splitCondition(rest);
      if (!parts || parts.seller === '') return usage(alert, ['Name a seller, then a condition: "xiaomi below 30000" or "hima change above 10%".']);
      ({ seller, condition: conditionText } = parts);
      here = inChannel;
    } else {
      const where = whereOption(input.options.where);
      if (typeof where !== 'boolean') return where;
      ({ seller, condition: conditionText } = input.options);
      here = where;
    }
    const condition = parseCondition(conditionText);
    if ('problem' in condition) return usage(alert, [condition.problem]);
    const named = sellerNamed(ctx.data, seller, '/alert {name} below 30000');
    if ('kind' in named) return named;
    const target = await targetOf(ctx, here);
    if ('title' in target) return target;
    const result = await store.add(newSubscription(asker, target, { kind: 'alert', seller: named.seller.id, condition }, ctx.data));
    if (result.kind === 'limit') {
      return notice(`You already have ${result.count} subscriptions and alerts, the most one person can have`, ['Remove one with /unsubscribe <id> (the ids are in /subscriptions), then try again.'], ['/subscriptions']);
    }
    const s = result.subscription;
    if (result.kind === 'exists') return notice('You already have this alert', [`${describeSubject(ctx.data, s.subject)}, to ${describeTarget(s.target)} (id ${s.id}).`], ['/subscriptions']);
    const name = named.seller.name;
    return answer(`Alert set: ${name}, ${describeCondition(condition)}`, [{
      type: 'text',
      lines: [
        `For each new month of ${name}, ${describeTarget(s.target)} get an alert when the figure proves it is ${describeCondition(condition)}.`,
        'A figure the source gives as a bound proves only what the bound proves: "over 28,000" is above 25,000, but never proves "below"; when a new month cannot decide it, you are told so once.',
        ...(named.asked.id !== named.seller.id ? [`${named.asked.name}'s figures are reported through ${name}.`] : []),
        sinceLine(s),
        ...consoleNote(s),
        `Id ${s.id}: /unsubscribe ${s.id} removes it.`,
      ],
    }], [], ['/subscriptions']);
  },
});
