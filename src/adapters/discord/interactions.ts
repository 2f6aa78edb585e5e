/**
 * Discord's HTTP Interactions endpoint (`POST /discord/interactions`): slash commands and autocomplete answered
 * statelessly by whichever instance the load balancer picks, no gateway needed. Every request is checked against
 * DISCORD_PUBLIC_KEY (Ed25519 over timestamp + body, `node:crypto`); one that does not verify gets 401, as Discord
 * requires. A PING is answered PONG.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Bot } from '../../core/bot.js';
import { notice, type Reply } from '../../core/reply.js';
import { lineRequest, newRequestId, type Origin, type Request } from '../../core/request.js';
import type { Logger } from '../../log.js';
import { autocompleteChoices } from './autocomplete.js';
import { ButtonLines, replyComponents } from './components.js';
import { renderEmbed } from './render.js';
import { fromDiscordText } from './text.js';

/** The DER prefix of an Ed25519 public key in SubjectPublicKeyInfo form; the raw 32 bytes follow. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const MAX_BODY_BYTES = 64 * 1024;
const EPHEMERAL = 1 << 6;

export function publicKeyFromHex(hex: string): KeyObject {
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(hex, 'hex')]), format: 'der', type: 'spki' });
}

/** True when `signatureHex` is the application's Ed25519 signature of `timestamp + body`. */
export function verifyDiscordSignature(key: KeyObject, signatureHex: string | undefined, timestamp: string | undefined, body: Buffer): boolean {
  if (!signatureHex || !timestamp || !/^[0-9a-f]{128}$/i.test(signatureHex)) return false;
  try {
    return verify(null, Buffer.concat([Buffer.from(timestamp, 'utf8'), body]), key, Buffer.from(signatureHex, 'hex'));
  } catch {
    return false;
  }
}

interface InteractionOption { name: string; type: number; value?: unknown; focused?: boolean; options?: InteractionOption[] }
interface Interaction {
  type: number;
  id?: string;
  guild_id?: string;
  channel_id?: string;
  member?: { user?: { id?: string }; permissions?: string };
  user?: { id?: string };
  data?: { name?: string; options?: InteractionOption[]; custom_id?: string };
}

/** Administrator or Manage Server: who may subscribe a channel. */
const ADMIN_BITS = (1n << 3n) | (1n << 5n);

export interface InteractionsOptions {
  bot: Pick<Bot, 'answer' | 'commands' | 'data' | 'command'>;
  publicKey: string;
  logger?: Logger;
}

function send(res: ServerResponse, status: number, body?: object): void {
  res.writeHead(status, body ? { 'content-type': 'application/json' } : {}).end(body ? JSON.stringify(body) : undefined);
}

/**
 * The reply with its suggestions as buttons. No "Export CSV" here: a file needs the gateway adapter's upload, and
 * a line too long to ride in a button is kept by one instance only, so another may answer "expired".
 */
function message(reply: Reply, buttons: ButtonLines, privately = false): object {
  const components = replyComponents(reply, buttons);
  return {
    type: 4,
    data: {
      embeds: [renderEmbed(reply)], allowed_mentions: { parse: [] }, ...(components.length > 0 ? { components } : {}),
      // Only an answer is shown to the channel; notices, usage and refusals stay with the user.
      ...(reply.kind === 'answer' && !reply.silent && !privately ? {} : { flags: EPHEMERAL }),
    },
  };
}

function originOf(interaction: Interaction): Origin {
  const permissions = interaction.member?.permissions;
  return {
    platform: 'discord', user: interaction.member?.user?.id ?? interaction.user?.id, channel: interaction.channel_id, workspace: interaction.guild_id,
    isAdmin: async () => permissions !== undefined && /^\d+$/.test(permissions) && (BigInt(permissions) & ADMIN_BITS) !== 0n,
  };
}

/** The request handler for `POST /discord/interactions` (mounted on the health server). */
export function interactionsHandler(options: InteractionsOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const key = publicKeyFromHex(options.publicKey);
  const buttons = new ButtonLines();
  return (req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        send(res, 413);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (res.headersSent) return;
      const body = Buffer.concat(chunks);
      const signature = req.headers['x-signature-ed25519'];
      const timestamp = req.headers['x-signature-timestamp'];
      if (!verifyDiscordSignature(key, typeof signature === 'string' ? signature : undefined, typeof timestamp === 'string' ? timestamp : undefined, body)) {
        options.logger?.info('discord: interaction with a bad signature refused (401)');
        send(res, 401, { error: 'invalid request signature' });
        return;
      }
      let interaction: Interaction;
      try {
        interaction = JSON.parse(body.toString('utf8')) as Interaction;
      } catch {
        send(res, 400, { error: 'not JSON' });
        return;
      }
      void answer(options, buttons, interaction).then((out) => send(res, 200, out), (err: unknown) => {
        options.logger?.error({ err }, 'discord: interaction failed');
        send(res, 500);
      });
    });
  };
}

async function answer(options: InteractionsOptions, buttons: ButtonLines, interaction: Interaction): Promise<object> {
  const { bot } = options;
  if (interaction.type === 1) return { type: 1 };
  const name = interaction.data?.name ?? '';
  const flat = interaction.data?.options ?? [];
  if (interaction.type === 4) {
    const focused = flat.find((o) => o.focused);
    const choices = focused ? autocompleteChoices(bot, name, focused.name, fromDiscordText(String(focused.value ?? ''))) : [];
    return { type: 8, data: { choices } };
  }
  if (interaction.type === 3) {
    // A click on a suggestion: its line, run for whoever clicked, answered to them alone.
    const action = buttons.decode(interaction.data?.custom_id ?? '');
    if (action === undefined || action === 'expired' || action.kind === 'csv') {
      const why = action === 'expired' ? ['This button has expired: type the command again, e.g. /sales xiaomi may.'] : ['Type the command instead.'];
      return message(notice('That button does not work here', why), buttons, true);
    }
    return message(await bot.answer(lineRequest(action.line, originOf(interaction)), { requestId: newRequestId() }), buttons, true);
  }
  if (interaction.type !== 2) return { type: 4, data: { content: 'Not supported here.', flags: EPHEMERAL } };
  const request: Request = {
    kind: 'command', name, ...originOf(interaction),
    options: Object.fromEntries(flat.map((o) => [o.name, o.value === undefined ? undefined : fromDiscordText(String(o.value))])),
  };
  return message(await bot.answer(request, { requestId: newRequestId() }), buttons);
}
