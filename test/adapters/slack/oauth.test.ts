/**
 * Slack for many workspaces (OAuth distribution), end to end with the real Bolt app and @slack/oauth against the
 * loopback Slack stand-in: a visitor installs the app from /slack/install through Slack's consent screen and back
 * to /slack/oauth_redirect; then each workspace is answered with its own token, and the digest goes to the channel
 * each installer picked, once.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app.js';
import { ConfigError, parseConfig } from '../../../src/config.js';
import type { Bot } from '../../../src/core/bot.js';
import { createDigestScheduler } from '../../../src/schedule/index.js';
import { createDigestPosters } from '../../../src/schedule/posters.js';
import { answer } from '../../../src/core/reply.js';
import { createDirectPosters } from '../../../src/subscriptions/index.js';
import { BUNDLED_DATA } from '../../support/data-dir.js';
import { eventCallback, signedEvent, signedSlashCommand, SlackStandin, type StandinWorkspace } from '../../support/slack-standin.js';
import { LogCapture, makeSlackBot, SIGNING_SECRET, startAdapter, type Started } from './harness.js';

const OAUTH = { SLACK_CLIENT_ID: '1111111111.2222222222', SLACK_CLIENT_SECRET: 'client-secret-never-logged', SLACK_STATE_SECRET: 'state-secret-never-logged-0123456789' };

const ACME: StandinWorkspace = {
  teamId: 'TACME', teamName: 'Acme', botToken: 'xoxb-acme-bot-token', botUserId: 'UACMEBOT', botId: 'BACME', installer: 'UACME1',
  channel: { id: 'CACMELEAD', name: 'leadership' },
};
const GLOBEX: StandinWorkspace = {
  teamId: 'TGLOBEX', teamName: 'Globex', botToken: 'xoxb-globex-bot-token', botUserId: 'UGLOBEXBOT', botId: 'BGLOBEX', installer: 'UGLOBEX1',
  channel: { id: 'CGLOBEXEXEC', name: 'exec-digest' },
};
const INITECH: StandinWorkspace = {
  teamId: 'TINITECH', teamName: 'Initech', botToken: 'xoxb-initech-bot-token', botUserId: 'UINITECHBOT', botId: 'BINITECH', installer: 'UINITECH1',
  channel: { id: 'CINITECHTPS', name: 'tps-reports' },
};

interface InstallResult {
  /** The consent screen URL /slack/install sent the visitor to. */
  authorize: URL;
  cookie: string;
  status: number;
  page: string;
}

/** A browser installing the app: /slack/install → Slack's consent screen ("Allow") → /slack/oauth_redirect. */
async function install(standin: SlackStandin, baseUrl: string, workspace: StandinWorkspace): Promise<InstallResult> {
  standin.nextInstall(workspace);
  const start = await fetch(`${baseUrl}/slack/install`, { redirect: 'manual' });
  expect(start.status).toBe(302);
  const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0]!;
  const authorize = new URL(start.headers.get('location')!);
  const consent = await fetch(authorize, { redirect: 'manual' });
  expect(consent.status).toBe(302);
  const back = await fetch(consent.headers.get('location')!, { headers: { cookie } });
  return { authorize, cookie, status: back.status, page: await back.text() };
}

const mention = (team: string, botUser: string, ts: string, text = 'who sold more in May?') => eventCallback(
  { type: 'app_mention', user: 'UASKER', text: `<@${botUser}> ${text}`, channel: 'CQUESTIONS', ts },
  { team_id: team, authorizations: [{ enterprise_id: null, team_id: team, user_id: botUser, is_bot: true }] },
);

describe('configuration for many workspaces', () => {
  it('takes all three OAuth variables or none, naming what is missing and never echoing a secret', () => {
    const missing = (() => {
      try {
        parseConfig({ SLACK_CLIENT_ID: OAUTH.SLACK_CLIENT_ID, SLACK_CLIENT_SECRET: OAUTH.SLACK_CLIENT_SECRET, SLACK_SIGNING_SECRET: 's' });
      } catch (err) {
        return err;
      }
    })();
    expect(missing).toBeInstanceOf(ConfigError);
    expect((missing as ConfigError).problems).toEqual([expect.stringMatching(/^SLACK_STATE_SECRET: required for Slack in many workspaces/)]);
    expect((missing as Error).message).not.toContain(OAUTH.SLACK_CLIENT_SECRET);
    expect(() => parseConfig({ ...OAUTH, SLACK_STATE_SECRET: 'short', SLACK_SIGNING_SECRET: 's' })).toThrow(/SLACK_STATE_SECRET: expected at least 16/);
    expect(() => parseConfig({ ...OAUTH, SLACK_STATE_SECRET: 'short', SLACK_SIGNING_SECRET: 's' })).not.toThrow(/"short"/);
  });

  it('needs no SLACK_BOT_TOKEN, but the signing secret, HTTP mode, and no DIGEST_SLACK_CHANNEL without a token', () => {
    expect(parseConfig({ ...OAUTH, SLACK_SIGNING_SECRET: 's' }).SLACK_BOT_TOKEN).toBeUndefined();
    expect(() => parseConfig(OAUTH)).toThrow(/SLACK_SIGNING_SECRET: required with SLACK_CLIENT_ID/);
    expect(() => parseConfig({ ...OAUTH, SLACK_SIGNING_SECRET: 's', SLACK_APP_TOKEN: 'xapp-1' })).toThrow(/SLACK_APP_TOKEN: .*HTTP mode/);
    expect(() => parseConfig({ ...OAUTH, SLACK_SIGNING_SECRET: 's', DIGEST_SLACK_CHANNEL: 'C1' })).toThrow(/DIGEST_SLACK_CHANNEL: needs SLACK_BOT_TOKEN/);
  });
});

describe('Slack for many workspaces (OAuth)', () => {
  let standin: SlackStandin;
  let bot: Bot;
  let stateDir: string;
  let s: Started | undefined;
  const env = () => ({ ...OAUTH, SLACK_BOT_TOKEN: '', STATE_DIR: stateDir });

  const start = async () => {
    s = await startAdapter(standin, bot, env(), new LogCapture('debug'));
    standin.configureOAuth({ clientId: OAUTH.SLACK_CLIENT_ID, clientSecret: OAUTH.SLACK_CLIENT_SECRET, redirectUrl: `${s.baseUrl}/slack/oauth_redirect` });
    return s;
  };

  beforeAll(async () => {
    standin = await SlackStandin.start();
    bot = await makeSlackBot();
  });
  afterAll(async () => {
    await standin.close();
  });
  beforeEach(() => {
    stateDir = mkdtempSync(path.join(tmpdir(), 'salesbot-oauth-'));
  });
  afterEach(async () => {
    await s?.adapter.stop();
    s = undefined;
    standin.reset();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('/slack/install sends the visitor to Slack with the client id, the scopes and a state bound to their browser', async () => {
    const { baseUrl } = await start();
    const res = await fetch(`${baseUrl}/slack/install`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const url = new URL(res.headers.get('location')!);
    expect(`${url.origin}${url.pathname}`).toBe(standin.authorizeUrl);
    expect(url.searchParams.get('client_id')).toBe(OAUTH.SLACK_CLIENT_ID);
    expect(url.searchParams.get('scope')!.split(',')).toEqual(expect.arrayContaining(['commands', 'chat:write', 'app_mentions:read', 'incoming-webhook']));
    const state = url.searchParams.get('state')!;
    expect(state.length).toBeGreaterThan(20);
    expect(res.headers.get('set-cookie')).toMatch(new RegExp(`=${state.replace(/\./g, '\\.')};.*HttpOnly`));
  });

  it('the redirect stores the installation under STATE_DIR (only the bot\'s user may read it); a restart keeps it', async () => {
    const { baseUrl, logs } = await start();
    const result = await install(standin, baseUrl, ACME);
    expect(result.status).toBe(200);
    expect(result.page).toContain('Sales Bot is installed in Acme.');
    expect(result.page).toContain('The monthly digest goes to #leadership: invite the bot there');

    const access = standin.callsOf('oauth.v2.access');
    expect(access).toHaveLength(1);
    expect(access[0]!.response).toMatchObject({ ok: true, team: { id: 'TACME' } });
    const dir = path.join(stateDir, 'slack-installations');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const stored = JSON.parse(readFileSync(path.join(dir, 'TACME', 'app-latest'), 'utf8')) as unknown;
    expect(stored).toMatchObject({ team: { id: 'TACME', name: 'Acme' }, bot: { token: ACME.botToken, userId: 'UACMEBOT' }, incomingWebhook: { channelId: 'CACMELEAD' } });
    expect(logs.find('slack: installed in a workspace')).toEqual([expect.objectContaining({ team: 'TACME', channel: 'CACMELEAD' })]);
    for (const secret of [ACME.botToken, OAUTH.SLACK_CLIENT_SECRET, OAUTH.SLACK_STATE_SECRET]) expect(logs.text).not.toContain(secret);

    // Restart: a new process reads the installation from STATE_DIR and answers Acme without a new install.
    await s!.adapter.stop();
    const again = await start();
    await signedEvent(again.baseUrl, SIGNING_SECRET, mention('TACME', 'UACMEBOT', '1700000000.000100'));
    const post = await standin.waitForCalls('chat.postMessage', 1);
    expect(post.token).toBe(ACME.botToken);
  });

  it('a redirect with a forged, missing or another browser\'s state is refused with a short page, and nothing is installed', async () => {
    const { baseUrl } = await start();
    const start1 = await fetch(`${baseUrl}/slack/install`, { redirect: 'manual' });
    const state = new URL(start1.headers.get('location')!).searchParams.get('state')!;
    const cookie = (start1.headers.get('set-cookie') ?? '').split(';')[0]!;
    const forged = `${state.slice(0, -4)}AAAA`;
    const attempts = [
      // Signed with another secret (or altered): the cookie matches, the signature does not.
      fetch(`${baseUrl}/slack/oauth_redirect?code=c1&state=${forged}`, { headers: { cookie: cookie.replace(state, forged) } }),
      // No state at all.
      fetch(`${baseUrl}/slack/oauth_redirect?code=c2`, { headers: { cookie } }),
      // A genuine state, but from another browser (no cookie): a link someone was sent.
      fetch(`${baseUrl}/slack/oauth_redirect?code=c3&state=${state}`),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      const page = await res.text();
      expect(page).toContain('Sales Bot was not installed');
      expect(page).toContain('not from an installation started here');
      expect(page).not.toMatch(/\n\s+at |Error:/);
    }
    // Cancelled on Slack's screen.
    const cancelled = await fetch(`${baseUrl}/slack/oauth_redirect?error=access_denied&state=${state}`, { headers: { cookie } });
    expect(cancelled.status).toBe(400);
    expect(await cancelled.text()).toContain('The installation was cancelled in Slack');
    expect(standin.callsOf('oauth.v2.access')).toHaveLength(0);
    expect(() => statSync(path.join(stateDir, 'slack-installations', 'TACME'))).toThrow();
  });

  it('two workspaces: each is answered, and each thread answer is posted with that workspace\'s own token', async () => {
    const { baseUrl, logs } = await start();
    expect((await install(standin, baseUrl, ACME)).status).toBe(200);
    expect((await install(standin, baseUrl, GLOBEX)).status).toBe(200);

    const command = await signedSlashCommand(baseUrl, SIGNING_SECRET, { team_id: 'TGLOBEX', command: '/sales', text: 'xiaomi april' });
    expect(command.status).toBe(200);
    expect(JSON.stringify(command.body)).toContain('28,585');

    await signedEvent(baseUrl, SIGNING_SECRET, mention('TGLOBEX', 'UGLOBEXBOT', '1700000000.000201'));
    await signedEvent(baseUrl, SIGNING_SECRET, mention('TACME', 'UACMEBOT', '1700000000.000202', '/sales xiaomi april'));
    await standin.waitForCalls('chat.postMessage', 2);
    const posts = standin.callsOf('chat.postMessage').map((c) => ({ token: c.token, thread: c.body.thread_ts }));
    expect(posts).toEqual(expect.arrayContaining([
      { token: GLOBEX.botToken, thread: '1700000000.000201' },
      { token: ACME.botToken, thread: '1700000000.000202' },
    ]));
    expect(standin.messagesIn('CQUESTIONS').map((m) => m.team).sort()).toEqual(['TACME', 'TGLOBEX']);

    // A workspace that never installed the app: not answered, one clear log line.
    const stranger = await signedEvent(baseUrl, SIGNING_SECRET, mention('TSTRANGER', 'UX', '1700000000.000203'));
    expect(stranger.status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(standin.callsOf('chat.postMessage')).toHaveLength(2);
    expect(logs.text).toMatch(/a request from a workspace the app is not installed in/);
    expect(logs.text).not.toContain(ACME.botToken);
  });

  it('the digest goes once to the channel each installer picked, with that workspace\'s token; a later install gets the next run', async () => {
    const { baseUrl } = await start();
    await install(standin, baseUrl, ACME);
    await install(standin, baseUrl, GLOBEX);
    const config = parseConfig({ ...env(), SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: standin.apiUrl, DATA_DIR: BUNDLED_DATA, LOG_LEVEL: 'silent' });
    const logs = new LogCapture('info');
    const { bot: digestBot, store } = await createApp(config, logs.logger);
    const digest = createDigestScheduler({ bot: digestBot, store, config, logger: logs.logger, posters: await createDigestPosters(config, logs.logger) });
    expect(digest.findsChannels).toBe(true);

    const first = await digest.runOnce();
    expect(first.channels.map((c) => [c.channel, c.posted.length])).toEqual([['TACME/CACMELEAD', 1], ['TGLOBEX/CGLOBEXEXEC', 1]]);
    const posted = standin.callsOf('chat.postMessage').map((c) => [c.body.channel, c.token]);
    expect(posted).toEqual([['CACMELEAD', ACME.botToken], ['CGLOBEXEXEC', GLOBEX.botToken]]);
    expect(standin.messagesIn('CACMELEAD')[0]!.text).toMatch(/digest|May 2025/i);

    // Installed after the scheduler was made: its channel is listed on the next run; the others are not posted again.
    await install(standin, baseUrl, INITECH);
    const second = await digest.runOnce();
    expect(second.channels.map((c) => [c.channel, c.posted.length])).toEqual([['TACME/CACMELEAD', 0], ['TGLOBEX/CGLOBEXEXEC', 0], ['TINITECH/CINITECHTPS', 1]]);
    expect(standin.callsOf('chat.postMessage').map((c) => [c.body.channel, c.token])).toEqual([...posted, ['CINITECHTPS', INITECH.botToken]]);
    await digest.stop();
  });

  it('a subscriber\'s DM and a channel subscription go out with the token of the workspace they were made in', async () => {
    const { baseUrl } = await start();
    await install(standin, baseUrl, ACME);
    await install(standin, baseUrl, GLOBEX);
    const config = parseConfig({ ...env(), SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: standin.apiUrl, DATA_DIR: BUNDLED_DATA });
    const [slack] = await createDirectPosters(config, new LogCapture('silent').logger);
    const reply = answer('Xiaomi sales, June 2025', [{ type: 'text', lines: ['A new month.'] }]);
    await slack!.post(await slack!.openDm('UACME1', 'TACME'), reply, { idempotencyKey: 'sub:a:2025-06' });
    await slack!.post(await slack!.openDm('UGLOBEX1', 'TGLOBEX'), reply, { idempotencyKey: 'sub:b:2025-06' });
    await slack!.post(slack!.channelIn!('CGLOBEXSALES', 'TGLOBEX'), reply, { idempotencyKey: 'sub:c:2025-06' });
    expect(standin.callsOf('conversations.open').map((c) => [c.body.users, c.token])).toEqual([['UACME1', ACME.botToken], ['UGLOBEX1', GLOBEX.botToken]]);
    expect(standin.callsOf('chat.postMessage').map((c) => [c.body.channel, c.token])).toEqual([
      ['DUACME1', ACME.botToken], ['DUGLOBEX1', GLOBEX.botToken], ['CGLOBEXSALES', GLOBEX.botToken],
    ]);
    await expect(slack!.openDm('U1', 'TSTRANGER')).rejects.toThrow();
  });

  it('a workspace that uninstalls the app is forgotten: not answered, no digest', async () => {
    const { baseUrl } = await start();
    await install(standin, baseUrl, ACME);
    await install(standin, baseUrl, GLOBEX);
    // Slack sends app_uninstalled with no token to authorize (Bolt skips authorize for it).
    const uninstalled = eventCallback({ type: 'app_uninstalled' }, { team_id: 'TGLOBEX', authorizations: [] });
    expect((await signedEvent(baseUrl, SIGNING_SECRET, uninstalled)).status).toBe(200);
    await expect.poll(() => statSync(path.join(stateDir, 'slack-installations', 'TGLOBEX')).isDirectory() && readdirSync(path.join(stateDir, 'slack-installations', 'TGLOBEX')).length).toBe(0);

    await signedEvent(baseUrl, SIGNING_SECRET, mention('TGLOBEX', 'UGLOBEXBOT', '1700000000.000301'));
    await signedEvent(baseUrl, SIGNING_SECRET, mention('TACME', 'UACMEBOT', '1700000000.000302'));
    await standin.waitForCalls('chat.postMessage', 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(standin.callsOf('chat.postMessage').map((c) => c.token)).toEqual([ACME.botToken]);

    const config = parseConfig({ ...env(), SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: standin.apiUrl, DATA_DIR: BUNDLED_DATA });
    const posters = await createDigestPosters(config, new LogCapture('silent').logger);
    expect(await posters[0]!.channels!()).toEqual(['TACME/CACMELEAD']);
  });
});
