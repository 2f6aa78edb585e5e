/** The Slack app manifest: built from the declared commands, and printed by `npm run slack:manifest`. */
import { describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.js';
import { buildManifest, manifestOptionsFromArgs, type SlackManifest } from '../../../src/adapters/slack/manifest.js';
import { runScript } from '../../support/child.js';

describe('buildManifest', () => {
  it('declares one slash command per command, with its description and usage hint', () => {
    const m = buildManifest({ commands, socketMode: true });
    expect(m.features.slash_commands.map((c) => c.command)).toEqual(commands.map((c) => `/${c.name}`));
    for (const [i, c] of commands.entries()) {
      expect(m.features.slash_commands[i]).toMatchObject({ description: c.description, should_escape: false });
      if (c.usage) expect(m.features.slash_commands[i]!.usage_hint).toBe(c.usage);
    }
  });

  it('asks for the scopes the adapter uses and subscribes to mentions and DMs', () => {
    const m = buildManifest({ commands, socketMode: true });
    expect([...m.oauth_config.scopes.bot].sort()).toEqual(['app_mentions:read', 'channels:history', 'chat:write', 'commands', 'files:write', 'groups:history', 'im:history', 'im:write', 'users:read']);
    expect(m.settings.event_subscriptions.bot_events).toEqual(['app_mention', 'message.im']);
    expect(m.features.app_home.messages_tab_enabled).toBe(true);
  });

  it('Socket Mode: no request URLs anywhere', () => {
    const m = buildManifest({ commands, socketMode: true });
    expect(m.settings.socket_mode_enabled).toBe(true);
    // Button clicks come over the socket too.
    expect(m.settings.interactivity).toEqual({ is_enabled: true });
    expect(JSON.stringify(m)).not.toMatch(/https?:\/\//);
  });

  it('HTTP mode: every URL is <url>/slack/events; without --url an obvious placeholder', () => {
    const m = buildManifest({ commands, socketMode: false, url: 'https://bot.example.org' });
    expect(m.settings.socket_mode_enabled).toBe(false);
    expect(m.settings.event_subscriptions.request_url).toBe('https://bot.example.org/slack/events');
    expect(new Set(m.features.slash_commands.map((c) => c.url))).toEqual(new Set(['https://bot.example.org/slack/events']));
    // Buttons: clicks are POSTed to the same URL.
    expect(m.settings.interactivity).toEqual({ is_enabled: true, request_url: 'https://bot.example.org/slack/events' });
    const placeholder = buildManifest({ commands, socketMode: false });
    expect(placeholder.settings.event_subscriptions.request_url).toMatch(/^https:\/\/replace-with-your-public-host\..*\/slack\/events$/);
  });

  it('many workspaces: the incoming-webhook scope (the installer picks the digest channel) and <url>/slack/oauth_redirect', () => {
    const m = buildManifest({ commands, socketMode: false, url: 'https://bot.example.org', oauth: true });
    expect(m.oauth_config.scopes.bot).toContain('incoming-webhook');
    expect(m.oauth_config.redirect_urls).toEqual(['https://bot.example.org/slack/oauth_redirect']);
    expect(m.settings.event_subscriptions.request_url).toBe('https://bot.example.org/slack/events');
    // One workspace: no channel picker on the consent screen, no redirect URL.
    const single = buildManifest({ commands, socketMode: false, url: 'https://bot.example.org' });
    expect(single.oauth_config.scopes.bot).not.toContain('incoming-webhook');
    expect(single.oauth_config.redirect_urls).toBeUndefined();
    // No public URL yet: nothing to guess.
    expect(buildManifest({ commands, socketMode: false, oauth: true }).oauth_config.redirect_urls).toBeUndefined();
  });

  it('applies SLACK_COMMAND_PREFIX and refuses names Slack would refuse', () => {
    expect(buildManifest({ commands, socketMode: true, prefix: 'ev-' }).features.slash_commands[0]!.command).toBe(`/ev-${commands[0]!.name}`);
    expect(() => buildManifest({ commands, socketMode: true, prefix: 'a-very-long-prefix-for-commands-' })).toThrow(/at most 32 characters/);
  });
});

describe('manifest flags', () => {
  type ManifestConfig = Parameters<typeof manifestOptionsFromArgs>[2];
  const noApp: ManifestConfig = { SLACK_APP_TOKEN: undefined, SLACK_COMMAND_PREFIX: '' };
  const withApp: ManifestConfig = { SLACK_APP_TOKEN: 'xapp-x', SLACK_COMMAND_PREFIX: '' };

  it('Socket Mode follows SLACK_APP_TOKEN unless --socket or --http says otherwise', () => {
    const mode = (argv: string[], config = noApp) => {
      const o = manifestOptionsFromArgs(argv, commands, config);
      return o === 'help' ? o : o.socketMode;
    };
    expect(mode([])).toBe(false);
    expect(mode([], withApp)).toBe(true);
    expect(mode(['--socket'])).toBe(true);
    expect(mode(['--http'], withApp)).toBe(false);
    expect(mode(['--help'])).toBe('help');
  });

  it('--oauth, or SLACK_CLIENT_ID in the configuration, asks for the many-workspaces manifest', () => {
    const oauth = (argv: string[], config: ManifestConfig = noApp) => {
      const o = manifestOptionsFromArgs(argv, commands, config);
      return o === 'help' ? o : o.oauth ?? false;
    };
    expect(oauth([])).toBe(false);
    expect(oauth(['--oauth'])).toBe(true);
    expect(oauth([], { ...noApp, SLACK_CLIENT_ID: '1234.5678' })).toBe(true);
    expect(() => manifestOptionsFromArgs(['--oauth', '--socket'], commands, noApp)).toThrow(/--oauth needs HTTP mode/);
  });

  it('refuses contradictory or malformed flags with a message', () => {
    expect(() => manifestOptionsFromArgs(['--socket', '--http'], commands, noApp)).toThrow(/choose one/);
    expect(() => manifestOptionsFromArgs(['--url', 'bot.example.org'], commands, noApp)).toThrow(/--url: expected a URL/);
    expect(() => manifestOptionsFromArgs(['--nope'], commands, noApp)).toThrow(/nope/);
  });
});

describe('npm run slack:manifest', () => {
  const run = (args: string[], env: Record<string, string> = {}) => runScript('src/adapters/slack/manifest-cli.ts', args, { env });

  it('prints the manifest as JSON, and a bad flag as a message with exit code 64', async () => {
    const [ok, bad] = await Promise.all([
      run(['--url', 'https://bot.example.org'], { SLACK_COMMAND_PREFIX: 'ev-' }),
      run(['--url', 'not a url']),
    ]);
    expect(ok.code).toBe(0);
    const m = JSON.parse(ok.stdout) as SlackManifest;
    expect(m.settings.socket_mode_enabled).toBe(false);
    expect(m.settings.event_subscriptions.request_url).toBe('https://bot.example.org/slack/events');
    expect(m.features.slash_commands.map((c) => c.command)).toEqual(commands.map((c) => `/ev-${c.name}`));
    expect(bad.code).toBe(64);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/--url: expected a URL/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});
