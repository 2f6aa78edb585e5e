/**
 * The console adapter: a prompt where `/…` lines are commands and other lines questions, and `quit` (or Ctrl-D)
 * leaves. With piped input it answers every line and resolves when the input ends. Replies fit the terminal's width.
 */
import { createInterface } from 'node:readline';
import type { Adapter, AdapterState, PostedMessage } from '../../core/adapter.js';
import type { Bot } from '../../core/bot.js';
import type { Reply } from '../../core/reply.js';
import type { Origin } from '../../core/request.js';
import { withNothingToExport, writeCsvFile } from '../shared/csv.js';
import { isQuit, readTerminalLine } from './input.js';
import { DEFAULT_WIDTH, renderConsole } from './render.js';

export const GREETING = 'Sales bot: type /help, a command such as /sales xiaomi april, or a question. Type quit (or press Ctrl-D) to leave.';

export interface ConsoleAdapterOptions {
  bot: Bot;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** Show a prompt and a greeting (default: when input is a terminal). */
  interactive?: boolean;
  /** Columns replies are laid out for (default: the terminal's width, or 80 when the output is not a terminal). */
  width?: number;
}

/** The terminal is one conversation: a question follows up on the answer before it. */
const CONSOLE: Origin = { platform: 'console', user: 'console', thread: 'console', direct: true };

export class ConsoleAdapter implements Adapter {
  readonly platform = 'console' as const;
  state: AdapterState = 'stopped';
  /** Resolves when the input ends (Ctrl-D, end of a pipe) or `stop()` is called. */
  readonly done: Promise<void>;
  private resolveDone!: () => void;
  private rl?: ReturnType<typeof createInterface>;

  constructor(private readonly options: ConsoleAdapterOptions) {
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  async start(): Promise<void> {
    const input = this.options.input ?? process.stdin;
    const output = this.options.output ?? process.stdout;
    const interactive = this.options.interactive ?? Boolean((input as { isTTY?: boolean }).isTTY);
    const rl = createInterface({ input, output: interactive ? output : undefined, terminal: interactive });
    this.rl = rl;
    this.state = 'connected';
    if (interactive) {
      output.write(`${GREETING}\n`);
      rl.setPrompt('> ');
      rl.prompt();
    }
    let quit = false;
    // Lines are answered one after another, in order, even when an answer takes a moment.
    let answered = Promise.resolve();
    rl.on('line', (line) => {
      // Lines already read from a pipe still arrive after close(): nothing after a quit word is answered.
      if (quit) return;
      if (isQuit(line)) {
        quit = true;
        rl.close();
        return;
      }
      answered = answered.then(async () => {
        if (line.trim()) output.write(`${await this.answer(line)}\n\n`);
        if (interactive && !quit) rl.prompt();
      });
    });
    rl.on('close', () => {
      void answered.then(() => {
        this.state = 'stopped';
        this.resolveDone();
      });
    });
  }

  /** A typed line's answer; a trailing `csv` also writes the figures to ./<name>.csv and says where. */
  private async answer(typed: string): Promise<string> {
    const { line, csv } = readTerminalLine(typed);
    const reply = await this.options.bot.answerLine(line, CONSOLE);
    if (!csv) return this.render(reply);
    const written = await writeCsvFile(reply);
    return written ? `${this.render(reply)}\nCSV written to ${written}` : this.render(withNothingToExport(reply));
  }

  private render(reply: Reply): string {
    const output = (this.options.output ?? process.stdout) as { columns?: number; isTTY?: boolean };
    return renderConsole(reply, this.options.width ?? (output.isTTY && output.columns ? output.columns : DEFAULT_WIDTH));
  }

  /** The console has one channel: the terminal. */
  async post(channel: string, reply: Reply): Promise<PostedMessage> {
    (this.options.output ?? process.stdout).write(`${this.render(reply)}\n\n`);
    return { id: String(Date.now()), channel };
  }

  async stop(): Promise<void> {
    this.rl?.close();
    await this.done;
  }
}
