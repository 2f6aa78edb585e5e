/**
 * Crash-safe file primitives for the digest ledger. A reader never sees a torn file: content goes to a temp file,
 * is fsynced, then linked (exclusive create) or renamed (replace) into place, and the directory is fsynced.
 */
import { link, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';

export const errCode = (err: unknown): string | undefined => (err as NodeJS.ErrnoException | undefined)?.code;

/** Makes a link/rename/unlink durable; not every platform lets a directory be opened (then it is best effort). */
export async function fsyncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    /* best effort */
  }
}

export async function writeDurable(file: string, text: string, flag: 'wx' | 'w'): Promise<void> {
  const handle = await open(file, flag, 0o644);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes `tmp` + fsync + rename + fsync(dir): a reader sees the old file or the new one, never a torn one. */
export async function replaceDurable(file: string, tmp: string, value: unknown): Promise<void> {
  try {
    await writeDurable(tmp, `${JSON.stringify(value, null, 2)}\n`, 'wx');
    await rename(tmp, file);
  } finally {
    await rm(tmp, { force: true });
  }
  await fsyncDir(path.dirname(file));
}

/**
 * Creates `file` with `text` only if it does not exist: true when this call created it. The text is written in
 * full to `tmp` first and `link()`ed (EEXIST decides the winner), so nobody reads a half-written file. Where hard
 * links are not supported, `open(…, 'wx')` still decides the winner (a half-written file then reads as unreadable,
 * which the ledger holds, never posts).
 */
export async function createExclusive(file: string, tmp: string, text: string): Promise<boolean> {
  try {
    await writeDurable(tmp, text, 'wx');
    await link(tmp, file);
    return true;
  } catch (err) {
    if (errCode(err) === 'EEXIST') return false;
    if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV'].includes(errCode(err) ?? '')) throw err;
  } finally {
    await rm(tmp, { force: true });
  }
  try {
    await writeDurable(file, text, 'wx');
    return true;
  } catch (err) {
    if (errCode(err) === 'EEXIST') return false;
    throw err;
  }
}

/** Removes `file` (unlink + fsync of its directory). */
export async function removeDurable(file: string): Promise<void> {
  await rm(file, { force: true });
  await fsyncDir(path.dirname(file));
}

/** Removes a temp file left by a crashed writer once it is older than `maxAgeMs`. */
export async function removeOldTemp(file: string, nowMs: number, maxAgeMs: number): Promise<void> {
  try {
    const info = await stat(file);
    if (nowMs - info.mtimeMs > maxAgeMs) await rm(file, { force: true });
  } catch {
    /* another process removed it */
  }
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errCode(err) === 'EPERM';
  }
}
