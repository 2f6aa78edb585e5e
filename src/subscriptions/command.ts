/**
 * What the subscription commands share: a declaration that is bound to the store when the bot is built (so help,
 * Slack's manifest and Discord's registration see it like any command), who asks and where it goes (a channel
 * only for admins), the seller named, and a subscription in words.
 */
import { z } from 'zod';
import { defineCommand, type AnyCommand, type CommandContext, type CommandDeclaration, type CommandDefinition, type CommandInput, type OptionsSchema } from '../core/command.js';
import { notice, type Reply } from '../core/reply.js';
import { quote } from '../core/request.js';
import type { DatasetIndex, Entity } from '../data/index.js';
import { formatMonth } from '../sales/months.js';
import { didYouMean, knownSellersLine } from '../sales/names.js';
import { describeCondition } from './alert.js';
import { newSubscriptionId, type Subject, type Subscription, type SubscriptionPlatform } from './schema.js';
import type { SubscriptionStore } from './store.js';

type Run<S extends OptionsSchema> = (input: CommandInput<S>, ctx: CommandContext, store: SubscriptionStore) => Promise<Reply>;

const BOUND = Symbol('subscription command');

interface Declared<S extends OptionsSchema> extends CommandDefinition<S> {
  readonly [BOUND]: Run<S>;
}

/** Declared once in commands/; answers only once `bindSubscriptionCommands` gave it the store. */
export function subscriptionCommand<S extends OptionsSchema>(def: Omit<CommandDeclaration<S>, 'run'> & { run: Run<S> }): CommandDefinition<S> {
  const { run, ...rest } = def;
  const declared: Declared<S> = {
    ...defineCommand({
      ...rest,
      run: () => notice('Subscriptions need the running bot', ['Start it with npm start, then subscribe in Slack, Discord or its console.']),
    }),
    [BOUND]: run,
  };
  return declared;
}

/** A subscription command keeps state: the same line twice answers differently ("You are already subscribed"). */
export function isSubscriptionCommand(command: AnyCommand): boolean {
  return BOUND in command;
}

/** The commands with every subscription command answering from `store`. */
export function bindSubscriptionCommands(commands: readonly AnyCommand[], store: SubscriptionStore): AnyCommand[] {
  return commands.map((c) => {
    const run = (c as Partial<Declared<OptionsSchema>>)[BOUND];
    return run ? { ...c, run: (input: CommandInput<OptionsSchema>, ctx: CommandContext) => run(input, ctx, store) } : c;
  });
}

export interface Asker {
  platform: SubscriptionPlatform;
  owner: string;
  workspace?: string;
}

/** Who asks, on a platform that can deliver to them; otherwise the reply that says so. */
export function askerOf(ctx: CommandContext): Asker | Reply {
  const { platform, user, workspace } = ctx.origin;
  if ((platform === 'slack' || platform === 'discord' || platform === 'console') && user) {
    return { platform, owner: user, ...(workspace ? { workspace } : {}) };
  }
  return notice('Subscriptions are made in Slack, Discord or the console', ['A one-shot answer (npm run ask) has nobody to deliver to later.']);
}

/**
 * Where it goes: the asker's DM, or with "here" the channel asked in, which only a workspace or server admin may
 * choose (a channel subscription posts for everyone there). Without `isAdmin` (the console) nobody is an admin.
 */
export async function targetOf(ctx: CommandContext, here: boolean): Promise<Subscription['target'] | Reply> {
  const { channel, direct, isAdmin } = ctx.origin;
  if (!here || direct || !channel) return { kind: 'dm' };
  let admin = false;
  try {
    admin = (await isAdmin?.()) ?? false;
  } catch {
    return notice('I could not check whether you are an admin', ['Please try again in a moment, or drop "here" to get it in your direct messages.']);
  }
  if (!admin) {
    return notice('Only workspace admins can subscribe a channel', [
      'A channel subscription posts in this channel for everyone. Slack: workspace admins and owners; Discord: members with Administrator or Manage Server.',
      'Leave out "here" to get it in your direct messages instead.',
    ]);
  }
  return { kind: 'channel', channel };
}

/** Splits a trailing "here" (this channel) off the words typed. */
export function splitHere(text: string): { rest: string; here: boolean } {
  const m = text.trim().match(/^(.*?)\s*\bhere$/i);
  return m ? { rest: m[1]!.trim(), here: true } : { rest: text.trim(), here: false };
}

/** The option "where": "here" for this channel; empty, "dm" or "me" for a direct message. */
/** The optional `here` both /subscribe and /alert take: this channel, for admins, instead of the asker's DM. */
export const hereOption = () => z.string().trim().max(10).optional().meta({ description: 'here: this channel, for admins (default: your DM)', usage: '[here]' });

export function whereOption(where: string | undefined): boolean | Reply {
  const w = (where ?? '').trim().toLowerCase();
  if (w === '' || w === 'dm' || w === 'me') return false;
  if (w === 'here') return true;
  return notice(`I can't read ${quote(where ?? '')} as a place`, ['Use "here" for this channel (admins only), or leave it out for your direct messages.']);
}

/** The seller whose figures answer for a name ("Huawei" → HIMA), or the friendly reply why there is none. */
export function sellerNamed(data: DatasetIndex, name: string, example: string): { asked: Entity; seller: Entity } | Reply {
  const found = data.resolve(name);
  if (found.kind === 'ambiguous') return didYouMean(name, found.candidates, example);
  if (found.kind === 'unknown') return notice(`I don't know ${quote(name)}`, [`${quote(name)} is not on record.`, knownSellersLine(data)], ['/subscriptions']);
  const seller = data.sellerFor(found.value);
  if (data.salesOf(seller.id).length === 0) {
    return notice(`No sales figures for ${found.value.name}`, [`I can only follow sellers with monthly figures. ${knownSellersLine(data)}`], []);
  }
  return { asked: found.value, seller };
}

/** A new subscription, starting after the newest month now on record for what it follows. */
export function newSubscription(asker: Asker, target: Subscription['target'], subject: Subject, data: DatasetIndex, now = new Date()): Subscription {
  const months = subject.kind === 'digest' ? data.months : data.salesOf(subject.seller).map((s) => s.month);
  return { id: newSubscriptionId(), ...asker, target, subject, since: months.at(-1) ?? null, createdAt: now.toISOString() };
}

/** "new months of Xiaomi", "the monthly digest", "an alert when Xiaomi is below 30,000 units". */
export function describeSubject(data: DatasetIndex, subject: Subject): string {
  if (subject.kind === 'digest') return 'the monthly digest';
  const name = data.entity(subject.seller)?.name ?? subject.seller;
  if (subject.kind === 'seller') return `new months of ${name}`;
  return `an alert when ${name}'s month is ${describeCondition(subject.condition)}`;
}

/** "your direct messages" or "channel C0123". */
export function describeTarget(target: Subscription['target']): string {
  return target.kind === 'dm' ? 'your direct messages' : `channel ${target.channel}`;
}

/** The console keeps a subscription but has nobody to message later: said, rather than promised. */
export function consoleNote(subscription: Subscription): string[] {
  return subscription.platform === 'console' ? ['The console cannot be messaged later: this is kept, but nothing is delivered here (subscribe in Slack or Discord for that).'] : [];
}

export function sinceLine(subscription: Subscription): string {
  return subscription.since ? `Months after ${formatMonth(subscription.since)} are delivered, once each.` : 'Every month that arrives is delivered, once each.';
}
