/**
 * The bot core: takes a request, returns a reply document. Knows no platform.
 * Commands are found by name; questions go to the question interpreter.
 */
import { performance } from 'node:perf_hooks';
import { requiredOptions, usage, type AnyCommand, type CommandContext, type CommandInput, type Dataset, type OptionsSchema } from './command.js';
import { ConversationMemory, type ConversationOptions } from './conversation.js';
import { apology, notice, type Reply } from './reply.js';
import { allowListGuard, rateLimitGuard, rateLimited, rateLimitKey, rateLimitRefusal, type AsyncRateLimiter, type Guard, type Refusal } from './guards.js';
import type { RateLimiter } from './rate-limit.js';
import { cleanInput, lineRequest, newRequestId, originOf, quote, type Origin, type Platform, type Request } from './request.js';

/** A question answered by a command's own path, and the command line that gives the same answer directly. */
export interface Interpretation {
  command: string;
  reply: Reply;
  typed?: string;
}

/** Turns free text into a command's answer, or a reply of its own (greeting, "not sure"). */
export type QuestionInterpreter = (text: string, ctx: CommandContext) => Interpretation | Reply;

export interface ErrorLogger {
  error(details: Record<string, unknown>, message: string): void;
}

/** What became of one request: one log line and the metrics are made from it. */
export interface HandledEvent {
  requestId: string;
  platform: Platform;
  user?: string;
  workspace?: string;
  /** The command that answered ("sales"), for a question "question:sales", or "question" when none did. */
  command: string;
  outcome: Reply['kind'] | 'rate_limited' | 'refused';
  latencyMs: number;
}

export interface BotOptions {
  commands: readonly AnyCommand[];
  /** The dataset now serving: called per request, so a reload takes effect on the next one. */
  data: () => Dataset;
  interpret?: QuestionInterpreter;
  logger?: ErrorLogger;
  /** Per-user limit for chat platforms (the console, the CLI and the scheduler are not limited). */
  rateLimiter?: RateLimiter;
  /** Shared mode: the same limit counted across instances, asked by `admit` before `handle`. */
  sharedRateLimiter?: AsyncRateLimiter;
  /** Allow-lists of workspaces (Slack teams, Discord guilds) per platform; an empty or absent list allows all. */
  allowedWorkspaces?: Partial<Record<Platform, readonly string[]>>;
  /** How many conversations' last answers are kept, and for how long (follow-ups). */
  conversations?: ConversationOptions;
  /** Called once per request, after the reply is made. */
  onHandled?: (event: HandledEvent) => void;
}

export interface HandleOptions {
  /** The adapter's request id, quoted in an apology so a log line can be found. */
  requestId?: string;
}

/** A request on its way: which command took it, and its reply (its outcome, when not the reply's kind). */
interface Attempt<R> {
  command: string;
  reply: R;
  outcome?: HandledEvent['outcome'];
}

export class Bot {
  private readonly byName: Map<string, AnyCommand>;
  private readonly guards: readonly Guard[];
  private readonly conversations: ConversationMemory;

  constructor(private readonly options: BotOptions) {
    this.byName = new Map(options.commands.map((c) => [c.name, c]));
    this.conversations = new ConversationMemory(options.conversations);
    this.guards = [
      ...(options.allowedWorkspaces ? [allowListGuard(options.allowedWorkspaces, options.logger)] : []),
      ...(options.rateLimiter ? [rateLimitGuard(options.rateLimiter)] : []),
    ];
  }

  get commands(): readonly AnyCommand[] {
    return this.options.commands;
  }

  get data(): Dataset {
    return this.options.data();
  }

  command(name: string): AnyCommand | undefined {
    return this.byName.get(name);
  }

  /**
   * Answers a request whose command answers at once (every dataset command): for tests, scripts and benchmarks.
   * Adapters use `answer`, which also runs the shared checks and commands that answer later. Never throws: a
   * failing handler becomes an apology with a request id, and the error is logged.
   */
  handle(request: Request, { requestId = newRequestId() }: HandleOptions = {}): Reply {
    const started = performance.now();
    const attempt = this.attempt(request, requestId);
    if (attempt.reply instanceof Promise) {
      attempt.reply.catch(() => undefined);
      return this.finish(request, requestId, started, this.failed(request, attempt.command, requestId, new Error(`/${attempt.command} answers later: call Bot.answer`)));
    }
    return this.finish(request, requestId, started, { ...attempt, reply: attempt.reply });
  }

  /**
   * What every adapter calls with a request: the shared checks (`admit`), the guards, the command or the
   * question, the conversation's context. Never rejects: a failure becomes an apology quoting `requestId`.
   */
  async answer(request: Request, { requestId = newRequestId() }: HandleOptions = {}): Promise<Reply> {
    const refused = await this.admit(request, { requestId });
    if (refused) return refused;
    const started = performance.now();
    const attempt = this.attempt(request, requestId);
    if (!(attempt.reply instanceof Promise)) return this.finish(request, requestId, started, { ...attempt, reply: attempt.reply });
    let done: Attempt<Reply>;
    try {
      done = { ...attempt, reply: await attempt.reply };
    } catch (err) {
      done = this.failed(request, attempt.command, requestId, err);
    }
    return this.finish(request, requestId, started, done);
  }

  /** The guards, then the command or the question; the reply may still be on its way. */
  private attempt(request: Request, requestId: string): Attempt<Reply | Promise<Reply>> {
    const command = request.kind === 'question' ? 'question' : request.name;
    try {
      const refused = this.guard(request);
      if (refused) return { command, outcome: refused.outcome, reply: refused.reply };
      return this.dispatch(request);
    } catch (err) {
      return this.failed(request, command, requestId, err);
    }
  }

  private failed(request: Request, command: string, requestId: string, err: unknown): Attempt<Reply> {
    this.options.logger?.error({ err, requestId, platform: request.platform, command }, 'handler failed');
    return { command, outcome: 'error', reply: apology(requestId) };
  }

  /** Remembers an answer as its conversation's context, and reports the request once. */
  private finish(request: Request, requestId: string, started: number, { command, outcome, reply }: Attempt<Reply>): Reply {
    this.conversations.remember(request, reply);
    this.options.onHandled?.({
      requestId, platform: request.platform, user: request.user, workspace: request.workspace,
      command, outcome: outcome ?? reply.kind, latencyMs: performance.now() - started,
    });
    return reply;
  }

  /**
   * The checks that must ask another process (shared mode's rate limit), for adapters to await before `handle`:
   * undefined lets the request through, or the refusal reply (logged as `handle` logs one). Never rejects: a limiter
   * that fails lets the request through to `handle`, whose own limit still applies.
   */
  async admit(request: Pick<Request, 'platform' | 'user' | 'workspace'>, { requestId = newRequestId() }: HandleOptions = {}): Promise<Reply | undefined> {
    const limiter = this.options.sharedRateLimiter;
    if (!limiter || !rateLimited(request)) return undefined;
    const started = performance.now();
    let refused: Refusal | undefined;
    try {
      refused = rateLimitRefusal(await limiter.check(rateLimitKey(request)));
    } catch (err) {
      this.options.logger?.error({ err, requestId, platform: request.platform }, 'shared rate limit failed; the local one applies');
      return undefined;
    }
    if (!refused) return undefined;
    this.options.onHandled?.({
      requestId, platform: request.platform, user: request.user, workspace: request.workspace,
      command: 'rate_limit', outcome: refused.outcome, latencyMs: performance.now() - started,
    });
    return refused.reply;
  }

  /** Allow-lists and the rate limit, before any work is done. */
  private guard(request: Request): Refusal | undefined {
    for (const guard of this.guards) {
      const refused = guard(request);
      if (refused) return refused;
    }
    return undefined;
  }

  /** A line as typed in a console or chat: "/sales xiaomi april" or a question (`handle`'s rules). */
  handleLine(line: string, origin: Origin, opts?: HandleOptions): Reply {
    return this.handle(lineRequest(line, origin), opts);
  }

  /** A line as typed in a console or chat, answered as `answer` does. */
  answerLine(line: string, origin: Origin, opts?: HandleOptions): Promise<Reply> {
    return this.answer(lineRequest(line, origin), opts);
  }

  private context(request: Request): CommandContext {
    const [previous, ...earlier] = this.conversations.recent(request);
    return { data: this.options.data(), commands: this.options.commands, origin: originOf(request), ...(previous ? { previous, earlier } : {}) };
  }

  private dispatch(request: Request): Attempt<Reply | Promise<Reply>> {
    const ctx = this.context(request);
    if (request.kind === 'question') return this.answerQuestion(cleanInput(request.text), ctx);
    const command = this.byName.get(request.name.toLowerCase().replace(/^\//, ''));
    if (!command) {
      const reply = notice(`There is no command ${quote(`/${cleanInput(request.name)}`)}`, [`Commands: ${this.options.commands.map((c) => `/${c.name}`).join(', ')}.`], ['/help']);
      return { command: 'unknown', reply };
    }
    if (!('options' in request)) {
      const text = cleanInput(request.text);
      const reply = text === '' && requiredOptions(command).length > 0 ? usage(command, requiredOptions(command).map((o) => `Missing: ${o}.`)) : command.run({ text }, ctx);
      return { command: command.name, reply };
    }
    const raw = Object.fromEntries(Object.entries(request.options).map(([k, v]) => [k, v === undefined ? undefined : cleanInput(v)]));
    const parsed = command.options.safeParse(raw);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => {
        const value = raw[String(i.path[0])];
        const option = i.path.map(String).join('.');
        return value === undefined || value === '' ? `Missing: ${option}.` : `${option}: ${i.message.replace(/^Invalid input: /, '')}`;
      });
      return { command: command.name, reply: usage(command, problems) };
    }
    const input: CommandInput<OptionsSchema> = { options: parsed.data };
    return { command: command.name, reply: command.run(input, ctx) };
  }

  private answerQuestion(text: string, ctx: CommandContext): Attempt<Reply> {
    const interpreted = this.options.interpret?.(text, ctx);
    if (!interpreted) {
      return { command: 'question', reply: notice('I answer commands for now', ['Type /help to see them, e.g. /sales xiaomi april or /partners huawei.'], ['/help', '/sales xiaomi april', '/compare xiaomi huawei may']) };
    }
    if ('kind' in interpreted) return { command: 'question', reply: interpreted };
    const { command, reply, typed } = interpreted;
    return { command: `question:${command}`, reply: typed ? { ...reply, tip: `Tip: \`${typed}\` gives this answer directly.` } : reply };
  }
}

