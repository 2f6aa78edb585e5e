/**
 * Autocomplete choices for a focused option, from what the command declares it completes from.
 * Runs on every keystroke, so it only touches in-memory indexes (prefix scan + fuzzy search).
 */
import type { ApplicationCommandOptionChoiceData } from 'discord.js';
import type { Bot } from '../../core/bot.js';
import { optionSpecs } from '../../core/command.js';
import { formatMonth, parseMonth } from '../../sales/months.js';
import type { DatasetIndex, Entity } from '../../data/index.js';
import { DISCORD_LIMITS } from './limits.js';
import { clip } from './render.js';

export type Choice = ApplicationCommandOptionChoiceData<string>;

const choice = (name: string, value: string): Choice => ({
  name: clip(name, DISCORD_LIMITS.choiceName),
  value: value.slice(0, DISCORD_LIMITS.choiceValue),
});

/** The text that resolves back to exactly this entity: its name, else an alias, else its id. */
function valueFor(data: DatasetIndex, e: Entity): string {
  const exact = [e.name, ...e.aliases].find((a) => a.length <= DISCORD_LIMITS.choiceValue && data.lookupExact(a)?.id === e.id);
  return exact ?? e.id;
}

export function entityChoices(data: DatasetIndex, typed: string): Choice[] {
  return data.complete(typed, DISCORD_LIMITS.choices).map((e) => choice(`${e.name} (${e.kind})`, valueFor(data, e)));
}

/** Months with data, newest first, that match what was typed ("apr", "2025-0", "5月", "May 2025"). */
export function monthChoices(data: DatasetIndex, typed: string): Choice[] {
  const text = typed.trim().toLowerCase();
  const parsed = text ? parseMonth(text, data.months) : undefined;
  return [...data.months]
    .reverse()
    .filter((ym) => !text || formatMonth(ym).toLowerCase().includes(text) || ym.startsWith(text) || (parsed?.ok && parsed.month === ym))
    .slice(0, DISCORD_LIMITS.choices)
    .map((ym) => choice(formatMonth(ym), ym));
}

export function commandChoices(bot: Pick<Bot, 'commands'>, typed: string): Choice[] {
  const text = typed.trim().toLowerCase().replace(/^\//, '');
  return bot.commands
    .filter((c) => c.name.includes(text))
    .sort((a, b) => Number(b.name.startsWith(text)) - Number(a.name.startsWith(text)))
    .slice(0, DISCORD_LIMITS.choices)
    .map((c) => choice(`/${c.name}: ${c.description}`, c.name));
}

/** What completion needs of the bot: its commands and the dataset now serving. */
export type CompletionSource = Pick<Bot, 'commands' | 'data' | 'command'>;

/** Choices for `option` of `commandName` given the partial text; empty for options without completion. */
export function autocompleteChoices(bot: CompletionSource, commandName: string, option: string, typed: string): Choice[] {
  const command = bot.command(commandName);
  const spec = command ? optionSpecs(command).find((o) => o.name === option) : undefined;
  switch (spec?.completion) {
    case 'entity':
      return entityChoices(bot.data, typed);
    case 'month':
      return monthChoices(bot.data, typed);
    case 'command':
      return commandChoices(bot, typed);
    default:
      return [];
  }
}
