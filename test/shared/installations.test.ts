/**
 * Slack installations in PostgreSQL (shared mode): what one instance stores after an install, every instance
 * reads — through @slack/oauth's own authorize(), as Bolt asks for each request — and lists for the digest.
 */
import type { Installation } from '@slack/bolt';
import { InstallProvider } from '@slack/oauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspaceChannel } from '../../src/adapters/slack/installations.js';
import { migrate, openPool, type Pool } from '../../src/shared/db.js';
import { PgInstallations } from '../../src/shared/installations.js';
import { postgresAvailability, startPostgres, type TestPostgres } from '../support/postgres.js';

/** An installation as @slack/oauth builds it from oauth.v2.access (see src/adapters/slack/oauth.ts). */
function installation(team: string, token: string, channel: string, installer = 'UINSTALLER'): Installation {
  return {
    team: { id: team, name: `Team ${team}` },
    enterprise: undefined,
    user: { id: installer, token: `xoxp-user-${team}`, scopes: ['identify'] },
    bot: { token, scopes: ['chat:write', 'commands', 'incoming-webhook'], id: `B${team}`, userId: `U${team}` },
    incomingWebhook: { url: `https://hooks.slack.com/services/${team}/B1/x`, channel: '#leadership', channelId: channel, configurationUrl: 'https://example.slack.com' },
    tokenType: 'bot',
    isEnterpriseInstall: false,
    appId: 'A1',
    authVersion: 'v2',
  };
}

describe.skipIf(!postgresAvailability().available)('Slack installations in PostgreSQL', () => {
  let pg: TestPostgres;
  let url: string;
  const pools: Pool[] = [];
  const open = async () => {
    const pool = await openPool(url);
    pools.push(pool);
    return new PgInstallations(pool);
  };

  beforeAll(async () => {
    pg = await startPostgres();
    url = await pg.database();
    const pool = await openPool(url);
    pools.push(pool);
    await migrate(pool);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await pg?.stop();
  });

  it('round-trips installations across instances: fetch by team, list for the digest, authorize as Bolt does', async () => {
    const [one, two] = [await open(), await open()];
    await one.storeInstallation(installation('T100', 'xoxb-token-100', 'C100'));
    await one.storeInstallation(installation('T200', 'xoxb-token-200', 'C200'));

    const fetched = await two.fetchInstallation({ teamId: 'T200', enterpriseId: undefined, isEnterpriseInstall: false });
    expect(fetched).toEqual(installation('T200', 'xoxb-token-200', 'C200'));
    expect((await two.list()).map(workspaceChannel)).toEqual(['T100/C100', 'T200/C200']);

    // The other instance's Bolt asks @slack/oauth's authorize(): each workspace gets its own bot token.
    const provider = new InstallProvider({ clientId: '1.2', clientSecret: 'x', stateSecret: 'state-secret-0123456789', installationStore: two });
    expect((await provider.authorize({ teamId: 'T100', enterpriseId: undefined, isEnterpriseInstall: false })).botToken).toBe('xoxb-token-100');
    expect((await provider.authorize({ teamId: 'T200', enterpriseId: undefined, isEnterpriseInstall: false })).botToken).toBe('xoxb-token-200');
    await expect(provider.authorize({ teamId: 'T999', enterpriseId: undefined, isEnterpriseInstall: false })).rejects.toThrow();
  });

  it('a workspace installed again replaces its row (new token, new channel); the installer\'s token only for the installer', async () => {
    const store = await open();
    await store.storeInstallation(installation('T300', 'xoxb-old', 'C301'));
    await store.storeInstallation(installation('T300', 'xoxb-new', 'C302', 'UOTHER'));
    const latest = await store.fetchInstallation({ teamId: 'T300', enterpriseId: undefined, isEnterpriseInstall: false });
    expect(latest.bot?.token).toBe('xoxb-new');
    expect(workspaceChannel(latest)).toBe('T300/C302');
    expect((await store.list()).filter((i) => i.team?.id === 'T300')).toHaveLength(1);

    const asSomeoneElse = await store.fetchInstallation({ teamId: 'T300', userId: 'USOMEONE', enterpriseId: undefined, isEnterpriseInstall: false });
    expect(asSomeoneElse.user.token).toBeUndefined();
    expect(asSomeoneElse.bot?.token).toBe('xoxb-new');
    const asInstaller = await store.fetchInstallation({ teamId: 'T300', userId: 'UOTHER', enterpriseId: undefined, isEnterpriseInstall: false });
    expect(asInstaller.user.token).toBe('xoxp-user-T300');
  });

  it('uninstalling deletes the workspace: nothing to authorize, nothing to post to', async () => {
    const store = await open();
    await store.storeInstallation(installation('T400', 'xoxb-400', 'C400'));
    // Only one user's tokens revoked: the bot stays.
    await store.deleteInstallation({ teamId: 'T400', userId: 'UINSTALLER', enterpriseId: undefined, isEnterpriseInstall: false });
    const kept = await store.fetchInstallation({ teamId: 'T400', enterpriseId: undefined, isEnterpriseInstall: false });
    expect(kept.bot?.token).toBe('xoxb-400');
    expect(kept.user.token).toBeUndefined();

    await store.deleteInstallation({ teamId: 'T400', enterpriseId: undefined, isEnterpriseInstall: false });
    await expect(store.fetchInstallation({ teamId: 'T400', enterpriseId: undefined, isEnterpriseInstall: false })).rejects.toThrow(/No installation/);
    expect((await store.list()).map((i) => i.team?.id)).not.toContain('T400');
  });
});
