/**
 * Slack for many workspaces (OAuth distribution, @slack/oauth's InstallProvider):
 *
 * - `GET /slack/install` sends the visitor to Slack's consent screen (client id, scopes, a signed `state`, also
 *   set as a cookie in their browser);
 * - `GET /slack/oauth_redirect` is where Slack sends them back with a code: the state is checked (signed with
 *   SLACK_STATE_SECRET, not expired, and the same browser), the code is exchanged (`oauth.v2.access`) and the
 *   installation stored; the visitor sees a short page saying what happened, never a stack trace;
 * - `authorize` gives Bolt the bot token of the workspace each request comes from.
 */
import type { ServerResponse } from 'node:http';
import type { Logger as BoltLogger, Installation, InstallationQuery, InstallURLOptions } from '@slack/bolt';
import { InstallProvider, type AuthorizeResult, type CodedError } from '@slack/oauth';
import type { Config } from '../../config.js';
import type { Logger } from '../../log.js';
import { boltLogger, scrubTokens } from './bolt-logger.js';
import { webClientOptions } from './client.js';
import { FileInstallations, installationsDir, type SlackInstallations } from './installations.js';
import { INSTALL_PATH, OAUTH_BOT_SCOPES, REDIRECT_PATH } from './manifest.js';
import type { PageHandler } from './receiver.js';

export interface SlackOAuthOptions {
  config: Config;
  logger: Logger;
  /** Shared mode: PostgreSQL. Default: files under `${STATE_DIR}/slack-installations`. */
  installations?: SlackInstallations;
}

export interface SlackOAuth {
  readonly installations: SlackInstallations;
  /** The two GET pages, by path, for the HTTP receiver. */
  readonly pages: Record<string, PageHandler>;
  /** Bolt's `authorize`: the installation of the workspace a request comes from. */
  authorize(source: InstallationQuery<boolean>): Promise<AuthorizeResult>;
  /** The app was uninstalled from a workspace (or its tokens revoked): forget it, so no digest goes there. */
  forget(query: InstallationQuery<boolean>): Promise<void>;
}

/** Slack's consent screen: next to the Web API (`https://slack.com/api/` → `https://slack.com/oauth/v2/authorize`). */
export function authorizationUrl(apiUrl = 'https://slack.com/api/'): string {
  return new URL('../oauth/v2/authorize', apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`).toString();
}

/** What went wrong in the redirect, as the visitor is told (and the HTTP status). */
function failureOf(error: CodedError): { status: number; text: string } {
  // web-api's errors (oauth.v2.access refused) reach here with their own codes.
  switch (String(error.code)) {
    case 'slack_oauth_installer_authorization_error':
      return { status: 400, text: 'The installation was cancelled in Slack. Nothing was installed.' };
    case 'slack_oauth_missing_state':
    case 'slack_oauth_invalid_state':
    case 'slack_oauth_missing_code':
      return { status: 400, text: 'This link is not from an installation started here, or it has expired (after 10 minutes). Nothing was installed.' };
    case 'slack_webapi_platform_error':
      return { status: 502, text: 'Slack did not accept the installation (the code may have been used already). Nothing was installed.' };
    default:
      return { status: 500, text: 'Something went wrong on our side while installing. Nothing was installed.' };
  }
}

export function createSlackOAuth({ config, logger, installations: given }: SlackOAuthOptions): SlackOAuth {
  const { SLACK_CLIENT_ID: clientId, SLACK_CLIENT_SECRET: clientSecret, SLACK_STATE_SECRET: stateSecret } = config;
  if (!clientId || !clientSecret || !stateSecret) throw new Error('createSlackOAuth needs SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET');
  const log = logger.child({ component: 'slack-oauth' });
  const installations = given ?? new FileInstallations(installationsDir(config));
  const { logger: _webApiLogger, ...clientOptions } = webClientOptions(config, logger);
  const oauthLog = withoutSecret(boltLogger(logger, 'slack-oauth'), clientSecret);
  const installUrlOptions: InstallURLOptions = { scopes: [...OAUTH_BOT_SCOPES] };
  const provider = new InstallProvider({
    clientId, clientSecret, stateSecret, installationStore: installations, installUrlOptions,
    authorizationUrl: authorizationUrl(config.SLACK_API_URL),
    // One link to share: straight to Slack's consent screen, which already shows the app and its scopes.
    directInstall: true,
    // It logs a refused redirect (a visitor's bad link) as an error; our own line below says what it was.
    logger: { ...oauthLog, error: oauthLog.warn },
    clientOptions,
  });

  const install: PageHandler = async (req, res) => {
    await provider.handleInstallPath(req, res, undefined, installUrlOptions);
  };

  const redirect: PageHandler = async (req, res) => {
    await provider.handleCallback(req, res, {
      success: (installation: Installation) => {
        const team = installation.team?.name ?? installation.team?.id ?? 'your workspace';
        const channel = installation.incomingWebhook?.channel;
        log.info({ team: installation.team?.id, channel: installation.incomingWebhook?.channelId, user: installation.user.id }, 'slack: installed in a workspace');
        page(res, 200, 'Sales Bot is installed', [
          `Sales Bot is installed in ${team}.`,
          channel ? `The monthly digest goes to ${channel}: invite the bot there (/invite @Sales Bot) so it can post.` : 'No digest channel was picked, so no monthly digest goes to this workspace.',
          'In Slack, try /sales or mention the bot with a question.',
        ]);
      },
      failure: (error, _options, _req, response) => {
        const { status, text } = failureOf(error);
        // A visitor's bad or stale link is theirs to retry; a failure on our side (the store) is ours to fix.
        log[status >= 500 ? 'error' : 'warn']({ status, code: error.code, reason: scrubTokens(error.message) }, 'slack: installation refused');
        page(response, status, 'Sales Bot was not installed', [text, `To install it, start again at ${INSTALL_PATH}.`]);
      },
    });
  };

  return {
    installations,
    pages: { [INSTALL_PATH]: install, [REDIRECT_PATH]: redirect },
    authorize: async (source) => {
      try {
        return await provider.authorize(source);
      } catch (err) {
        log.warn({ team: source.teamId, enterprise: source.enterpriseId }, `slack: a request from a workspace the app is not installed in; not answered (install it at ${INSTALL_PATH})`);
        throw err;
      }
    },
    forget: async (query) => {
      await installations.deleteInstallation?.(query);
      log.info({ team: query.teamId, enterprise: query.enterpriseId }, 'slack: uninstalled from a workspace; its installation is deleted');
    },
  };
}

/** web-api logs oauth.v2.access's body at debug level, client_secret included (it redacts only tokens): not ours. */
function withoutSecret(log: BoltLogger, secret: string): BoltLogger {
  const hide = (parts: unknown[]) => parts.map((p) => (typeof p === 'string' ? p.replaceAll(secret, '[redacted]') : p));
  return {
    ...log,
    debug: (...parts: unknown[]) => log.debug(...hide(parts)),
    info: (...parts: unknown[]) => log.info(...hide(parts)),
    warn: (...parts: unknown[]) => log.warn(...hide(parts)),
    error: (...parts: unknown[]) => log.error(...hide(parts)),
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(res: ServerResponse, status: number, title: string, lines: string[]): void {
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>`
    + `<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto"><h1>${escapeHtml(title)}</h1>`
    + lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('') + '</body></html>';
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': String(Buffer.byteLength(body)) }).end(body);
}
