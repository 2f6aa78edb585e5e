/** Temporary data directories: a copy of the bundled data, changed by a test, removed afterwards. */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const BUNDLED_DATA = path.resolve(import.meta.dirname, '../../data');

const made: string[] = [];

/** Copies `data/` to a temp dir and lets `edit` change any file's parsed JSON (return the new value). */
export function dataDirWith(edits: Record<string, (json: unknown[]) => unknown> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'salesbot-data-'));
  made.push(dir);
  cpSync(BUNDLED_DATA, dir, { recursive: true });
  for (const [file, edit] of Object.entries(edits)) {
    const p = path.join(dir, file);
    const json = JSON.parse(readFileSync(p, 'utf8')) as unknown[];
    writeFileSync(p, JSON.stringify(edit(json), null, 2));
  }
  return dir;
}

export function writeRaw(dir: string, file: string, text: string): void {
  writeFileSync(path.join(dir, file), text);
}

export function removeDataDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}
