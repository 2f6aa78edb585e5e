/**
 * The bot core: takes a request, returns a reply document. Knows no platform.
 * Commands are found by name; questions go to the question interpreter.
 */
import { randomUUID } from 'node:crypto';
import { formatPath } from '../data/load.js';
import type { DatasetIndex } from '../data/index.js';
import { quote } from './args.js';
import type { AnyCommand, CommandContext } from './command.js';
import { notice, type Reply } from './reply.js';
import { cleanInput, parseCommandLine, type Request } from './request.js';

/** Turns free text into a command with its typed arguments, or a reply of its own (greeting, "not sure"). */
export type QuestionInterpreter = (text: string, ctx: CommandContext) => { command: string; text: string } | Reply;

export interface ErrorLogger {
  error(details: Record<string, unknown>, message: string): void;
}

export interface BotOptions {
  commands: readonly AnyCommand[];
  /** The dataset now serving: called per request, so a reload takes effect on the next one. */
  data: () => DatasetIndex;
  interpret?: QuestionInterpreter;
  logger?: ErrorLogger;
}

export interface HandleOptions {
  /** The adapter's request id, quoted in an apology so a log line can be found. */
  requestId?: string;
}

export class Bot {
  private readonly byName: Map<string, AnyCommand>;

  constructor(private readonly options: BotOptions) {
    this.byName = new Map(options.commands.map((c) => [c.name, c]));
  }

  get commands(): readonly AnyCommand[] {
    return this.options.commands;
  }

  get data(): DatasetIndex {
    return this.options.data();
  }

  command(name: string): AnyCommand | undefined {
    return this.byName.get(name);
  }

  /** Never throws: a failing handler becomes an apology with a request id, and the error is logged. */
  handle(request: Request, { requestId = randomUUID().slice(0, 8) }: HandleOptions = {}): Reply {
    try {
      return this.dispatch(request);
    } catch (err) {
      this.options.logger?.error({ err, requestId, request: { kind: request.kind, platform: request.platform } }, 'handler failed');
      return {
        ...notice('Sorry, something went wrong on my side', [`Please try again in a moment. If it keeps happening, quote request id ${requestId}.`]),
        kind: 'error',
      };
    }
  }

  /** A line as typed in a console or chat: "/sales xiaomi april" or a question. */
  handleLine(line: string, origin: Omit<Request, 'kind' | 'name' | 'text' | 'options'>, opts?: HandleOptions): Reply {
    const cmd = parseCommandLine(line);
    return this.handle(cmd ? { kind: 'command', ...cmd, ...origin } : { kind: 'question', text: line, ...origin }, opts);
  }

  private context(): CommandContext {
    return { data: this.options.data(), commands: this.options.commands };
  }

  private dispatch(request: Request): Reply {
    const ctx = this.context();
    if (request.kind === 'question') return this.answerQuestion(cleanInput(request.text), ctx);
    const command = this.byName.get(request.name.toLowerCase().replace(/^\//, ''));
    if (!command) {
      return notice(`There is no command ${quote(`/${cleanInput(request.name)}`)}`, [`Commands: ${this.options.commands.map((c) => `/${c.name}`).join(', ')}.`], ['/help']);
    }
    const raw = 'options' in request
      ? Object.fromEntries(Object.entries(request.options).map(([k, v]) => [k, v === undefined ? undefined : cleanInput(v)]))
      : command.fromText(cleanInput(request.text), ctx);
    return this.run(command, raw, ctx);
  }

  private run(command: AnyCommand, raw: unknown, ctx: CommandContext): Reply {
    const parsed = command.options.safeParse(raw);
    if (!parsed.success) {
      const given = (raw ?? {}) as Record<string, unknown>;
      const missing = parsed.error.issues.map((i) => {
        const value = given[String(i.path[0])];
        return value === undefined || value === '' ? `Missing: ${formatPath(i.path)}.` : `${formatPath(i.path)}: ${i.message.replace(/^Invalid input: /, '')}`;
      });
      const examples = command.examples.filter(Boolean).slice(0, 2).map((e) => `/${command.name} ${e}`);
      return notice(`Usage: /${command.name} ${command.usage}`, [command.description, ...missing], examples);
    }
    return command.run(parsed.data, ctx);
  }

  private answerQuestion(text: string, ctx: CommandContext): Reply {
    const interpreted = this.options.interpret?.(text, ctx);
    if (!interpreted) {
      return notice("I answer commands for now", ['Type /help to see them, e.g. /sales xiaomi april or /partners huawei.'], ['/help', '/sales xiaomi april', '/compare xiaomi huawei may']);
    }
    if ('kind' in interpreted) return interpreted;
    const command = this.byName.get(interpreted.command);
    if (!command) return notice("I'm not sure what you mean", ['Type /help to see what I can answer.'], ['/help']);
    const reply = this.run(command, command.fromText(interpreted.text, ctx), ctx);
    const typed = `/${command.name}${interpreted.text ? ` ${interpreted.text}` : ''}`;
    return { ...reply, tip: `Tip: \`${typed}\` gives this answer directly.` };
  }
}
