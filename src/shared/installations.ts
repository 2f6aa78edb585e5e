/**
 * Shared mode: Slack installations in PostgreSQL (table `slack_installations`), so every instance answers every
 * workspace and the digest posts to each workspace's channel whichever instance runs it. Bolt's `InstallationStore`
 * (store, fetch, delete by workspace or Enterprise Grid org) plus `list()`.
 *
 * One row per workspace: a workspace installed again replaces its row. As @slack/oauth's file store does, the
 * installing user's token is returned only to that user.
 */
import type { Installation, InstallationQuery } from '@slack/bolt';
import type { SlackInstallations } from '../adapters/slack/installations.js';
import type { Pool } from './db.js';

/** The row's key: an org-wide install by its enterprise alone, a workspace by its team (and its org, if any). */
function keyOf(enterpriseId: string | undefined, teamId: string | undefined, orgWide: boolean | undefined): [string, string] {
  return [enterpriseId ?? '', orgWide ? '' : teamId ?? ''];
}

export class PgInstallations implements SlackInstallations {
  constructor(private readonly pool: Pool) {}

  async storeInstallation(installation: Installation): Promise<void> {
    const key = keyOf(installation.enterprise?.id, installation.team?.id, installation.isEnterpriseInstall);
    await this.pool.query(
      `INSERT INTO slack_installations (enterprise_id, team_id, installation, installed_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (enterprise_id, team_id) DO UPDATE SET installation = EXCLUDED.installation, installed_at = EXCLUDED.installed_at`,
      [...key, JSON.stringify(installation)],
    );
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation> {
    const key = keyOf(query.enterpriseId, query.teamId, query.isEnterpriseInstall);
    const { rows } = await this.pool.query<{ installation: Installation }>(
      'SELECT installation FROM slack_installations WHERE enterprise_id = $1 AND team_id = $2', key,
    );
    const installation = rows[0]?.installation;
    // Bolt's authorize() turns this into "not authorized": the workspace has not installed the app.
    if (!installation) throw new Error(`No installation found (enterprise_id: ${query.enterpriseId}, team_id: ${query.teamId})`);
    if (query.userId && installation.user.id !== query.userId) {
      installation.user = { id: query.userId, token: undefined, scopes: undefined };
    }
    return installation;
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    const key = keyOf(query.enterpriseId, query.teamId, query.isEnterpriseInstall);
    if (query.userId) {
      // One user's tokens revoked: only that user's token goes; the bot stays installed.
      await this.pool.query(
        `UPDATE slack_installations SET installation = jsonb_set(installation, '{user}', jsonb_build_object('id', installation->'user'->'id'))
         WHERE enterprise_id = $1 AND team_id = $2 AND installation->'user'->>'id' = $3`,
        [...key, query.userId],
      );
      return;
    }
    await this.pool.query('DELETE FROM slack_installations WHERE enterprise_id = $1 AND team_id = $2', key);
  }

  async list(): Promise<Installation[]> {
    const { rows } = await this.pool.query<{ installation: Installation }>(
      'SELECT installation FROM slack_installations ORDER BY enterprise_id, team_id',
    );
    return rows.map((r) => r.installation);
  }
}
