/**
 * The Slack app manifest, generated from the declared commands so that an admin creates the app in one paste
 * (api.slack.com/apps → Create New App → From a manifest). Slack accepts JSON.
 */
import { parseArgs } from 'node:util';
import type { Config } from '../../config.js';
import type { AnyCommand } from '../../core/command.js';

/**
 * What the adapter subscribes to, and the scopes that alone make it work:
 * `commands` for slash commands, `app_mentions:read` for app_mention, `im:history` for message.im,
 * `chat:write` for answers in threads and the digest (invite the bot to the digest channel), `channels:history` and
 * `groups:history` so a digest whose post timed out can be found in the channel instead of being held, `files:write`
 * for the CSV an "Export CSV" button or a trailing `csv` attaches.
 */
export const BOT_EVENTS = ['app_mention', 'message.im'] as const;
/** `im:write` opens a subscriber's DM (conversations.open); `users:read` tells a workspace admin (users.info) for channel subscriptions. */
export const BOT_SCOPES = ['app_mentions:read', 'channels:history', 'chat:write', 'commands', 'files:write', 'groups:history', 'im:history', 'im:write', 'users:read'] as const;
/**
 * Many workspaces (OAuth): `incoming-webhook` too, so whoever installs the app picks the workspace's digest channel
 * on Slack's consent screen (the installation then names it; the webhook URL itself is not used).
 */
export const OAUTH_BOT_SCOPES = [...BOT_SCOPES, 'incoming-webhook'].sort();

/** Slack's manifest limits for a slash command. */
const COMMAND_NAME_MAX = 32;
const DESCRIPTION_MAX = 2000;
const USAGE_HINT_MAX = 1000;

/** Where Bolt's HTTP receiver takes slash commands and events. */
export const EVENTS_PATH = '/slack/events';
/** Many workspaces: the page that sends a visitor to Slack's consent screen, and where Slack sends them back. */
export const INSTALL_PATH = '/slack/install';
export const REDIRECT_PATH = '/slack/oauth_redirect';

export const PLACEHOLDER_URL = 'https://replace-with-your-public-host.example.com';

export interface ManifestOptions {
  commands: readonly AnyCommand[];
  /** SLACK_COMMAND_PREFIX: `ev-` declares `/ev-sales`. */
  prefix?: string;
  socketMode: boolean;
  /** HTTP mode: the public base URL (`https://bot.example.com`) or the full events URL. */
  url?: string;
  name?: string;
  /** Many workspaces (OAuth distribution): the `incoming-webhook` scope, and the redirect URL when `url` is known. */
  oauth?: boolean;
}

export interface SlackManifest {
  display_information: { name: string; description: string; background_color: string };
  features: {
    app_home: { home_tab_enabled: boolean; messages_tab_enabled: boolean; messages_tab_read_only_enabled: boolean };
    bot_user: { display_name: string; always_online: boolean };
    slash_commands: { command: string; description: string; usage_hint?: string; should_escape: boolean; url?: string }[];
  };
  oauth_config: { scopes: { bot: string[] }; redirect_urls?: string[] };
  settings: {
    event_subscriptions: { request_url?: string; bot_events: string[] };
    /** Buttons (suggestions, Export CSV): clicks arrive at the events URL, or over the socket in Socket Mode. */
    interactivity: { is_enabled: boolean; request_url?: string };
    org_deploy_enabled: boolean;
    socket_mode_enabled: boolean;
    token_rotation_enabled: boolean;
  };
}

/** `https://host` → `https://host/slack/events`; a URL that already names a path is kept as given. */
export function eventsUrl(url: string = PLACEHOLDER_URL): string {
  const parsed = new URL(url);
  if (parsed.pathname === '/' || parsed.pathname === '') parsed.pathname = EVENTS_PATH;
  return parsed.toString();
}

/** `https://host` (or `https://host/slack/events`) → `https://host/slack/oauth_redirect`. */
export function redirectUrl(url: string): string {
  const parsed = new URL(url);
  parsed.pathname = REDIRECT_PATH;
  parsed.search = '';
  return parsed.toString();
}

export function buildManifest({ commands, prefix = '', socketMode, url, name = 'Sales Bot', oauth = false }: ManifestOptions): SlackManifest {
  const requestUrl = socketMode ? undefined : eventsUrl(url);
  const slashCommands = commands.map((c) => {
    const command = `/${prefix}${c.name}`;
    if (command.length > COMMAND_NAME_MAX) {
      throw new Error(`${command}: Slack allows at most ${COMMAND_NAME_MAX} characters in a command name (shorten SLACK_COMMAND_PREFIX)`);
    }
    return {
      command,
      description: c.description.slice(0, DESCRIPTION_MAX),
      ...(c.usage ? { usage_hint: c.usage.slice(0, USAGE_HINT_MAX) } : {}),
      // Mentions arrive as Slack markup either way; the adapter reads them back as the user saw them.
      should_escape: false,
      ...(requestUrl ? { url: requestUrl } : {}),
    };
  });
  return {
    display_information: {
      name,
      description: 'Sales figures, comparisons, partners and timelines for the EV market, in chat.',
      background_color: '#1d3557',
    },
    features: {
      // The messages tab is where people DM the bot (message.im).
      app_home: { home_tab_enabled: false, messages_tab_enabled: true, messages_tab_read_only_enabled: false },
      bot_user: { display_name: name, always_online: true },
      slash_commands: slashCommands,
    },
    oauth_config: {
      scopes: { bot: oauth ? [...OAUTH_BOT_SCOPES] : [...BOT_SCOPES] },
      ...(oauth && url ? { redirect_urls: [redirectUrl(url)] } : {}),
    },
    settings: {
      event_subscriptions: { ...(requestUrl ? { request_url: requestUrl } : {}), bot_events: [...BOT_EVENTS] },
      interactivity: { is_enabled: true, ...(requestUrl ? { request_url: requestUrl } : {}) },
      org_deploy_enabled: false,
      socket_mode_enabled: socketMode,
      token_rotation_enabled: false,
    },
  };
}

export const MANIFEST_USAGE = `Usage: npm run slack:manifest -- [--socket | --http] [--url https://your-host] [--name "Sales Bot"] [--oauth]
Prints a Slack app manifest (JSON) to paste at https://api.slack.com/apps -> Create New App -> From a manifest.
  --socket   Socket Mode (no public URL needed; the default when SLACK_APP_TOKEN is set)
  --http     HTTP mode: Slack POSTs to <url>/slack/events
  --url      the bot's public HTTPS base URL (default: a placeholder to replace)
  --name     the app and bot name
  --oauth    many workspaces (the default when SLACK_CLIENT_ID is set): the incoming-webhook scope, so the
             installer picks the digest channel, and <url>/slack/oauth_redirect as the redirect URL`;

export class ManifestUsageError extends Error {
  override name = 'ManifestUsageError';
}

/** The CLI's flags plus the configuration: Socket Mode when SLACK_APP_TOKEN is set, unless a flag says otherwise. */
export function manifestOptionsFromArgs(
  argv: string[],
  commands: readonly AnyCommand[],
  config: Pick<Config, 'SLACK_APP_TOKEN' | 'SLACK_COMMAND_PREFIX'> & Partial<Pick<Config, 'SLACK_CLIENT_ID'>>,
): ManifestOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        socket: { type: 'boolean', default: false },
        http: { type: 'boolean', default: false },
        url: { type: 'string' },
        name: { type: 'string' },
        oauth: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    throw new ManifestUsageError((err as Error).message);
  }
  if (values.help) return 'help';
  if (values.socket && values.http) throw new ManifestUsageError('choose one of --socket and --http');
  if (values.oauth && values.socket) throw new ManifestUsageError('--oauth needs HTTP mode (Slack sends installers back to <url>/slack/oauth_redirect); drop --socket');
  if (values.url !== undefined && !/^https?:\/\/[^\s/]+\S*$/.test(values.url)) {
    throw new ManifestUsageError(`--url: expected a URL such as https://bot.example.com, got ${JSON.stringify(values.url)}`);
  }
  return {
    commands,
    prefix: config.SLACK_COMMAND_PREFIX,
    socketMode: values.socket || (!values.http && Boolean(config.SLACK_APP_TOKEN)),
    ...(values.url ? { url: values.url } : {}),
    ...(values.name ? { name: values.name } : {}),
    ...(values.oauth || config.SLACK_CLIENT_ID ? { oauth: true } : {}),
  };
}
