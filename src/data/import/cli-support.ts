/** What the data CLIs share: configuration (DATA_DIR and the DATA_* limits), and exits without stack traces. */
import { ConfigError, loadConfig } from '../../config.js';
import { DataError, type LoadOptions } from '../load.js';
import { TableError } from './table.js';

export interface DataCliConfig {
  dataDir: string;
  load: LoadOptions;
}

/** `--data-dir` (or a positional) wins over DATA_DIR. */
export function dataCliConfig(dataDir: string | undefined): DataCliConfig {
  const config = loadConfig();
  return {
    dataDir: dataDir ?? config.DATA_DIR,
    load: { maxBytes: config.DATA_MAX_BYTES, readTimeoutMs: config.DATA_READ_TIMEOUT_MS, allowEmptySales: config.DATA_ALLOW_EMPTY_SALES },
  };
}

/** Exit codes: 0 done, 1 the data or the file is bad, 2 bad configuration or an unexpected failure, 64 bad flags. */
export function exitOnError(err: unknown): never {
  if (err instanceof DataError || err instanceof TableError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  process.stderr.write(`Unexpected failure: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(2);
}

/** Parses flags with node:util parseArgs; a bad flag prints the usage and exits 64. */
export function usageError(usage: string, message: string): never {
  process.stderr.write(`${message}\n\n${usage}\n`);
  process.exit(64);
}
