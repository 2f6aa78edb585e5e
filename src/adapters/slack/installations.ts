/**
 * Slack for many workspaces: where each workspace's installation (its bot token, the digest channel its installer
 * picked) is kept. Bolt's `InstallationStore`, plus `list()` so the digest finds every workspace on each run.
 * By default files under `${STATE_DIR}/slack-installations` (@slack/oauth's FileInstallationStore, one directory
 * per workspace); in shared mode a PostgreSQL table (src/shared/installations.ts).
 */
import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { FileInstallationStore, type Installation, type InstallationQuery, type InstallationStore } from '@slack/bolt';
import type { Config } from '../../config.js';

export interface SlackInstallations extends InstallationStore {
  /** Every workspace the app is installed in (its latest installation). */
  list(): Promise<Installation[]>;
}

export function installationsDir(config: Pick<Config, 'STATE_DIR'>): string {
  return path.join(config.STATE_DIR, 'slack-installations');
}

/**
 * FileInstallationStore without its history files and without its logging (it logs a directory and a warning per
 * install; the adapter logs one line of its own), in a directory only this user can read: the files hold tokens.
 */
export class FileInstallations implements SlackInstallations {
  private readonly files: FileInstallationStore;
  private ready: Promise<unknown> | undefined;

  constructor(private readonly dir: string) {
    // It appends the team id to the base path as text: without the trailing separator `dir` + `T0123` would be a sibling.
    this.files = new FileInstallationStore({ baseDir: `${dir}${path.sep}`, historicalDataEnabled: false });
  }

  async storeInstallation(installation: Installation): Promise<void> {
    this.ready ??= mkdir(this.dir, { recursive: true, mode: 0o700 });
    await this.ready;
    await this.files.storeInstallation(installation);
  }

  fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation<'v1' | 'v2', boolean>> {
    return this.files.fetchInstallation(query);
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    try {
      await this.files.deleteInstallation(query);
    } catch (err) {
      // Nothing stored for that workspace: nothing to delete.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }

  async list(): Promise<Installation[]> {
    let entries: string[];
    try {
      entries = await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const found = await Promise.all(entries.sort().map(async (entry) => {
      try {
        return JSON.parse(await readFile(path.join(this.dir, entry, 'app-latest'), 'utf8')) as Installation;
      } catch {
        // Uninstalled (its files deleted) or not an installation directory.
        return undefined;
      }
    }));
    return found.filter((i): i is Installation => i !== undefined);
  }
}

/** The digest channel a workspace's installer picked, as the ledger names it: `T0123/C0456` (unique across workspaces). */
export function workspaceChannel(installation: Installation): string | undefined {
  const team = installation.team?.id;
  const channel = installation.incomingWebhook?.channelId;
  return team && channel ? `${team}/${channel}` : undefined;
}

/** `T0123/C0456` → its workspace and channel; undefined for a plain channel id (DIGEST_SLACK_CHANNEL). */
export function parseWorkspaceChannel(key: string): { team: string; channel: string } | undefined {
  const m = /^(T[A-Z0-9]+)\/([A-Z0-9]+)$/.exec(key);
  return m ? { team: m[1]!, channel: m[2]! } : undefined;
}
