/**
 * How a command is declared: once, with its options as a zod object. Help, Slack's manifest
 * and Discord's registration are all generated from these declarations.
 */
import { z } from 'zod';
import { notice, type Reply } from './reply.js';
import type { Origin } from './request.js';

/** What an option's value can be completed from, for platforms that autocomplete. */
export type CompletionSource = 'entity' | 'month' | 'command';

declare module 'zod' {
  interface GlobalMeta {
    completion?: CompletionSource;
    /** How the option is written in the usage line ("<company|alliance|brand>"); default `<name>`, or `[name]` when optional. */
    usage?: string;
  }
}

/**
 * What commands answer from. The kernel does not know the domain's dataset: the domain names its type by adding
 * `dataset` to this interface (declaration merging; src/data/index.ts registers `DatasetIndex`).
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the domain through declaration merging
export interface Register {}

export type Dataset = Register extends { dataset: infer D } ? D : unknown;

export interface CommandContext {
  readonly data: Dataset;
  readonly commands: readonly AnyCommand[];
  /** Who asks, and where: a command that keeps state per user or channel reads it here. */
  readonly origin: Origin;
  /** The last answer in this conversation (thread, DM, console), for follow-ups; absent outside one. */
  readonly previous?: Reply;
  /** The answers before `previous` there, newest first ("compare them" after two single-seller answers). */
  readonly earlier?: readonly Reply[];
}

/** Options arrive as strings from every platform; each command's zod schema checks them. */
export type OptionsSchema = z.ZodObject<Record<string, z.ZodType<string | undefined>>>;

/** What a command receives: the text typed after it, or a platform's structured options, already validated. */
export type CommandInput<S extends OptionsSchema> = { text: string } | { options: z.output<S> };

export interface CommandDefinition<S extends OptionsSchema> {
  readonly name: string;
  readonly description: string;
  /** The slash-text form, "<company|alliance|brand> [month]": derived from the options by `defineCommand`. */
  readonly usage: string;
  readonly options: S;
  /** Arguments as typed after the slash command: "xiaomi april". */
  readonly examples: readonly string[];
  /** The question shapes this command answers, so a question finds its command without the interpreter naming it. */
  readonly serves?: readonly string[];
  /** Answers from the dataset are synchronous; a command that keeps state (subscriptions) may answer later. */
  run(input: CommandInput<S>, ctx: CommandContext): Reply | Promise<Reply>;
}

/** "Usage: /sales <company> [month]" with what was wrong, the description and two examples. */
export function usage(command: Pick<AnyCommand, 'name' | 'usage' | 'description' | 'examples'>, problems: string[]): Reply {
  const examples = command.examples.filter(Boolean).slice(0, 2).map((e) => `/${command.name} ${e}`);
  return notice(`Usage: /${command.name} ${command.usage}`, [command.description, ...problems], examples);
}

/** The options that must be given: a command typed with no text at all gets its usage. */
export function requiredOptions(command: AnyCommand): string[] {
  return Object.entries(command.options.shape).filter(([, schema]) => !schema.safeParse(undefined).success).map(([name]) => name);
}

/** Any command, whatever its options (method parameters are bivariant, so every definition fits). */
export type AnyCommand = CommandDefinition<OptionsSchema>;

/** A command as declared: everything but what is derived from its options. */
export type CommandDeclaration<S extends OptionsSchema> = Omit<CommandDefinition<S>, 'usage'>;

export function defineCommand<S extends OptionsSchema>(def: CommandDeclaration<S>): CommandDefinition<S> {
  return { ...def, usage: usageLine(def.options) };
}

/** "<company|alliance|brand> [month]": each option as its `.meta({ usage })` writes it, or by its name. */
function usageLine(options: OptionsSchema): string {
  return Object.entries(options.shape).map(([name, schema]) => schema.meta()?.usage ?? (schema.safeParse(undefined).success ? `[${name}]` : `<${name}>`)).join(' ');
}

export interface OptionSpec {
  name: string;
  description: string;
  required: boolean;
  completion?: CompletionSource;
  maxLength?: number;
}

/** The options in declaration order, read off the zod schema and its `.meta()`. */
export function optionSpecs(command: AnyCommand): OptionSpec[] {
  const shape = command.options.shape;
  return Object.entries(shape).map(([name, schema]) => {
    const meta = schema.meta() ?? {};
    const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { maxLength?: number };
    return {
      name,
      description: meta.description ?? name,
      required: !schema.safeParse(undefined).success,
      ...(meta.completion ? { completion: meta.completion } : {}),
      ...(json.maxLength !== undefined ? { maxLength: json.maxLength } : {}),
    };
  });
}

/** A required name the index resolves (company, alliance, brand, model or person); autocompleted from the index. */
export function nameOption(description: string, usage?: string) {
  return z.string().trim().min(1).max(200).meta({ description, completion: 'entity', ...(usage ? { usage } : {}) });
}

/** An optional month in any form `parseMonth` reads; autocompleted from the months with data. */
export function monthOption(description: string) {
  return z.string().trim().min(1).max(40).optional().meta({ description, completion: 'month' });
}
