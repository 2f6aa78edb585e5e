/**
 * Slash command definitions generated from the command declarations in `commands/`: one STRING
 * option per zod key (the option names are a contract), autocomplete where the core can complete.
 * discord.js's builders validate names and lengths, so a bad declaration fails here, not at Discord.
 */
import { SlashCommandBuilder, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { optionSpecs, type AnyCommand } from '../../core/command.js';
import { DISCORD_LIMITS } from './limits.js';

/** Cuts a description at a word boundary (Discord allows 100 characters). */
export function shortDescription(text: string, max: number = DISCORD_LIMITS.commandDescription): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max - 1);
  const space = head.lastIndexOf(' ');
  return `${(space > max / 2 ? head.slice(0, space) : head).replace(/[\s,;:]+$/, '')}…`;
}

export function slashCommand(command: AnyCommand): RESTPostAPIChatInputApplicationCommandsJSONBody {
  const builder = new SlashCommandBuilder().setName(command.name).setDescription(shortDescription(command.description));
  // Discord rejects a required option after an optional one; keep declaration order otherwise.
  const specs = optionSpecs(command).sort((a, b) => Number(b.required) - Number(a.required));
  for (const spec of specs) {
    builder.addStringOption((option) => {
      option.setName(spec.name).setDescription(shortDescription(spec.description)).setRequired(spec.required);
      if (spec.completion) option.setAutocomplete(true);
      if (spec.maxLength !== undefined) option.setMaxLength(spec.maxLength);
      return option;
    });
  }
  return builder.toJSON();
}

/** The body of `PUT /applications/:id/commands`. */
export function slashCommands(commands: readonly AnyCommand[]): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return commands.map(slashCommand);
}
