/**
 * A CSV file into a Slack channel or thread with Slack's current upload flow, through web-api's `filesUploadV2`:
 * `files.getUploadURLExternal` (name and length) → the bytes POSTed to the returned upload URL →
 * `files.completeUploadExternal` (the file shared in the channel, in the thread when there is one, with a comment).
 * The retired `files.upload` is never called. Needs the `files:write` scope, and the bot in the channel.
 */
import type { webApi } from '@slack/bolt';
import { notice, type Reply } from '../../core/reply.js';
import { figuresCsv, nothingToExport, type CsvFile } from '../shared/csv.js';
import { escapeSlack } from './mrkdwn.js';

export interface UploadTarget {
  channel: string;
  /** The thread the file goes into, when the answer was in one. */
  threadTs?: string;
}

/** Uploads `file` and shares it in `target`; rejects with web-api's error when Slack refuses (see `uploadProblem`). */
export async function uploadCsv(client: webApi.WebClient, target: UploadTarget, file: CsvFile, title: string): Promise<void> {
  const upload = {
    file: file.data,
    filename: file.name,
    title: file.name,
    initial_comment: escapeSlack(`The figures of "${title}" as CSV: ${file.rows} row${file.rows === 1 ? '' : 's'}, each with its qualifier and sources.`),
  };
  await client.filesUploadV2(target.threadTs ? { ...upload, channel_id: target.channel, thread_ts: target.threadTs } : { ...upload, channel_id: target.channel });
}

/** What to tell the person who asked when the upload failed, in words they can act on. */
export function uploadProblem(err: unknown): string {
  const code = (err as { data?: { error?: unknown } } | undefined)?.data?.error;
  switch (code) {
    case 'not_in_channel':
    case 'channel_not_found':
      return 'I cannot share files in this conversation. Invite me to the channel (/invite, then my name), or ask me in a direct message.';
    case 'missing_scope':
    case 'not_allowed_token_type':
      return 'I am not allowed to share files here yet: the app needs the files:write permission. Ask whoever installed it to update it from the new manifest (npm run slack:manifest).';
    default:
      return 'Sorry, I could not attach the CSV file this time. Please try again in a moment.';
  }
}

/**
 * The answer's figures shared as a CSV file in `target`. Resolves with what to tell the person who asked when there
 * is no file to share or Slack refused it (never rejects), or undefined once the file is in the channel.
 */
export async function shareCsv(client: webApi.WebClient, target: UploadTarget, reply: Reply, onError: (err: unknown) => void): Promise<Reply | undefined> {
  const file = figuresCsv(reply);
  if (!file) return nothingToExport(reply);
  try {
    await uploadCsv(client, target, file, reply.title);
    return undefined;
  } catch (err) {
    onError(err);
    return notice('The CSV file could not be attached', [uploadProblem(err)]);
  }
}
