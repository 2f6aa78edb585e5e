/** Runs one of the project's entry points as a child process, as a user would from the shell. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = path.resolve(import.meta.dirname, '../..');
/** The tsx loader by absolute path, so a script also runs from another working directory. */
export const TSX_LOADER = pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

export interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  input?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Working directory (default: the project root); `.env` is read from here. */
  cwd?: string;
}

export function runScript(script: string, args: string[], options: RunOptions = {}): Promise<ChildResult> {
  return runCommand(process.execPath, ['--import', TSX_LOADER, path.join(ROOT, script), ...args], options);
}

/** Runs any command as a user would type it (e.g. `npm run …`), with the given input, and collects its output. */
export function runCommand(command: string, args: string[], options: RunOptions = {}): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const script = [command, ...args].join(' ');
    const child = spawn(command, args, {
      cwd: options.cwd ?? ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not finish in time; stderr: ${stderr}`));
    }, options.timeoutMs ?? 15_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}
