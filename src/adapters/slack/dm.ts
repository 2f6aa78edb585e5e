/**
 * Direct messages on the bot's own initiative (subscriptions and alerts): `conversations.open` with the user's id
 * gives the bot's DM channel with them (scope `im:write`), then the digest's poster posts there — the same
 * unknown-outcome rules, and `findPosted` reads that DM's history (`im:history`) to settle a post in doubt.
 * Web API only, no running app, so a DM goes out while the socket reconnects.
 */
import { webApi } from '@slack/bolt';
import type { Config } from '../../config.js';
import { slackAuth } from './settings.js';
import type { Poster } from '../../core/adapter.js';
import type { Logger } from '../../log.js';
import { webClientOptions } from './client.js';
import { FileInstallations, installationsDir, type SlackInstallations } from './installations.js';
import { createSlackPoster } from './post.js';

export interface SlackDmOptions {
  config: Config;
  logger: Logger;
  /** Command names, so a DM mentions `/ev-sales` when SLACK_COMMAND_PREFIX is `ev-`. */
  commandNames?: readonly string[];
  /** Many workspaces: where installations are kept (default: files under STATE_DIR; shared mode: PostgreSQL). */
  installations?: SlackInstallations;
}

export interface SlackDm extends Poster {
  /** The DM channel with `user`; with many workspaces, as `T…/D…` so the post goes out with that workspace's token. */
  openDm(user: string, workspace?: string): Promise<string>;
  /** A channel of `workspace` as the poster names it (`T…/C…` with many workspaces). */
  channelIn(channel: string, workspace?: string): string;
}

export function createSlackDm({ config, logger, commandNames = [], installations }: SlackDmOptions): SlackDm {
  // No retries inside the clients: a post whose answer was lost may have landed, and only the caller's ledger knows.
  const options = webClientOptions(config, logger, 0);
  const poster = createSlackPoster({ config, logger, retries: 0, commandNames, ...(installations ? { installations } : {}) });
  const { botToken, oauth } = slackAuth(config);
  const store = oauth ? installations ?? new FileInstallations(installationsDir(config)) : undefined;
  const single = botToken ? new webApi.WebClient(botToken, options) : undefined;
  const channels = new Map<string, string>();
  const inWorkspace = (workspace: string | undefined) => store !== undefined && workspace !== undefined;

  /** The client that speaks for `workspace`: its installation's token, or SLACK_BOT_TOKEN's. */
  async function clientFor(workspace: string | undefined): Promise<webApi.WebClient> {
    if (store && workspace) {
      const token = (await store.fetchInstallation({ teamId: workspace, isEnterpriseInstall: false, enterpriseId: undefined })).bot?.token;
      if (!token) throw new Error(`the installation in Slack workspace ${workspace} has no bot token; install the app there again`);
      return new webApi.WebClient(token, options);
    }
    if (!single) throw new Error('no Slack workspace to send from: the subscription names none and SLACK_BOT_TOKEN is not set');
    return single;
  }

  return {
    ...poster,
    channelIn: (channel, workspace) => (inWorkspace(workspace) ? `${workspace}/${channel}` : channel),
    async openDm(user, workspace) {
      const key = `${workspace ?? ''}/${user}`;
      const known = channels.get(key);
      if (known) return known;
      const res = await (await clientFor(workspace)).conversations.open({ users: user, return_im: false });
      const id = res.channel?.id;
      if (!id) throw new Error(`Slack opened no direct message channel with ${user}`);
      const channel = inWorkspace(workspace) ? `${workspace}/${id}` : id;
      channels.set(key, channel);
      return channel;
    },
  };
}
