import { z } from 'zod';
import { usage } from '../src/core/command.js';
import { answer, notice, type Reply } from '../src/core/reply.js';
import {
  askerOf, hereOption, consoleNote, describeSubject, describeTarget, newSubscription, sellerNamed, sinceLine, splitHere, subscriptionCommand, targetOf, whereOption,
} from '../src/subscriptions/command.js';
import type { Subject } from '../src/subscriptions/schema.js';

export const subscribe = subscriptionCommand({
  name: 'subscribe',
  description: "Get a seller's new months, or the monthly digest, in your DM (or, for admins, in this channel with \"here\")",
  options: z.object({
    what: z.string().trim().min(1).max(200).meta({ description: 'A seller (e.g. xiaomi), or digest', completion: 'entity', usage: '<company|alliance|brand|digest>' }),
    where: hereOption(),
  }),
  examples: ['xiaomi', 'digest', 'hima here'],
  async run(input, ctx, store): Promise<Reply> {
    const asker = askerOf(ctx);
    if ('kind' in asker) return asker;
    let what: string;
    let here: boolean;
    if ('text' in input) {
      ({ rest: what, here } = splitHere(input.text));
    } else {
      const where = whereOption(input.options.where);
      if (typeof where !== 'boolean') return where;
      what = input.options.what;
      here = where;
    }
    if (what === '') return usage(subscribe, ['Missing: a seller, or digest.']);
    let subject: Subject;
    let note: string | undefined;
    if (what.toLowerCase() === 'digest') {
      subject = { kind: 'digest' };
    } else {
      const named = sellerNamed(ctx.data, what, '/subscribe {name}');
      if ('kind' in named) return named;
      subject = { kind: 'seller', seller: named.seller.id };
      if (named.asked.id !== named.seller.id) note = `${named.asked.name}'s figures are reported through ${named.seller.name}: you get ${named.seller.name}'s months.`;
    }
    const target = await targetOf(ctx, here);
    if ('title' in target) return target;
    const result = await store.add(newSubscription(asker, target, subject, ctx.data));
    if (result.kind === 'limit') {
      return notice(`You already have ${result.count} subscriptions and alerts, the most one person can have`, ['Remove one with /unsubscribe <id> (the ids are in /subscriptions), then try again.'], ['/subscriptions']);
    }
    const s = result.subscription;
    if (result.kind === 'exists') {
      return notice('You are already subscribed', [`${describeSubject(ctx.data, s.subject)} goes to ${describeTarget(s.target)} (id ${s.id}).`], ['/subscriptions']);
    }
    const when = subject.kind === 'digest' ? 'when the monthly digest runs' : 'when a new month of figures arrives';
    return answer(`Subscribed: ${describeSubject(ctx.data, s.subject)}`, [{
      type: 'text',
      lines: [`You get ${describeSubject(ctx.data, s.subject)} in ${describeTarget(s.target)} ${when}.`, ...(note ? [note] : []), sinceLine(s), ...consoleNote(s), `Id ${s.id}: /unsubscribe ${s.id} stops it.`],
    }], [], ['/subscriptions']);
  },
});
