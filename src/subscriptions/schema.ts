/**
 * What a subscription is: who owns it (platform, workspace, user), where it is delivered (the owner's DM or a
 * channel) and what it follows — a seller's new months, the monthly digest, or an alert on a seller's figure.
 * One zod schema, read back from the file or database on every start.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';

const yearMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);

/** "below 30000" on the month's units, or "change above 10%" against the month before. */
export const conditionSchema = z.discriminatedUnion('measure', [
  z.object({ measure: z.literal('units'), direction: z.enum(['below', 'above']), units: z.number().int().nonnegative() }),
  z.object({ measure: z.literal('change'), direction: z.enum(['below', 'above']), percent: z.number().finite() }),
]);

const subjectSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('seller'), seller: z.string().min(1) }),
  z.object({ kind: z.literal('digest') }),
  z.object({ kind: z.literal('alert'), seller: z.string().min(1), condition: conditionSchema }),
]);

export const subscriptionSchema = z.object({
  id: z.string().regex(/^s[0-9a-z]{6}$/),
  platform: z.enum(['slack', 'discord', 'console']),
  workspace: z.string().optional(),
  owner: z.string().min(1),
  target: z.discriminatedUnion('kind', [z.object({ kind: z.literal('dm') }), z.object({ kind: z.literal('channel'), channel: z.string().min(1) })]),
  subject: subjectSchema,
  /**
   * The newest month on record when it was made: only later months are delivered, so a new subscription does not
   * replay the archive, and a month that arrived while the bot was down is still delivered at start-up.
   */
  since: yearMonth.nullable(),
  createdAt: z.iso.datetime(),
});

export type Subscription = z.infer<typeof subscriptionSchema>;
export type Condition = z.infer<typeof conditionSchema>;
export type Subject = Subscription['subject'];
export type SubscriptionPlatform = Subscription['platform'];

/** Short enough to type after /unsubscribe: "s" and six base-36 characters. */
export function newSubscriptionId(): string {
  const n = randomBytes(5).readUIntBE(0, 5);
  return `s${(n % 36 ** 6).toString(36).padStart(6, '0')}`;
}

/** What makes two subscriptions the same (subscribing twice adds nothing): where it goes and what it follows. */
export function subscriptionKey({ target, subject }: Pick<Subscription, 'target' | 'subject'>): string {
  const where = target.kind === 'dm' ? 'dm' : `channel:${target.channel}`;
  if (subject.kind === 'digest') return `${where}|digest`;
  if (subject.kind === 'seller') return `${where}|seller:${subject.seller}`;
  const c = subject.condition;
  return `${where}|alert:${subject.seller}:${c.measure}:${c.direction}:${c.measure === 'units' ? c.units : c.percent}`;
}
