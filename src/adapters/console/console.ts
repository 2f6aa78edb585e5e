/**
 * The console adapter: a prompt where `/…` lines are commands and other lines questions.
 * With piped input it answers every line and resolves when the input ends.
 */
import { createInterface } from 'node:readline';
import type { Adapter, AdapterState, PostedMessage } from '../../core/adapter.js';
import type { Bot } from '../../core/bot.js';
import { renderText } from '../../core/render-text.js';
import type { Reply } from '../../core/reply.js';

export interface ConsoleAdapterOptions {
  bot: Bot;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** Show a prompt and a greeting (default: when input is a terminal). */
  interactive?: boolean;
}

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
      output.write('Sales bot: type /help, a command such as /sales xiaomi april, or a question. Ctrl-D quits.\n');
      rl.setPrompt('> ');
      rl.prompt();
    }
    rl.on('line', (line) => {
      if (line.trim()) {
        const reply = this.options.bot.handleLine(line, { platform: 'console', user: 'console' });
        output.write(`${renderText(reply)}\n\n`);
      }
      if (interactive) rl.prompt();
    });
    rl.on('close', () => {
      this.state = 'stopped';
      this.resolveDone();
    });
  }

  /** The console has one channel: the terminal. */
  async post(channel: string, reply: Reply): Promise<PostedMessage> {
    (this.options.output ?? process.stdout).write(`${renderText(reply)}\n\n`);
    return { id: String(Date.now()), channel };
  }

  async stop(): Promise<void> {
    this.rl?.close();
    await this.done;
  }
}
