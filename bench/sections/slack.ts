/**
 * Slack HTTP throughput: signed /sales slash commands against our running app and against a bare @slack/bolt
 * App that only acks, each in its own process on 127.0.0.1, rounds interleaved, load from autocannon.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, openSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { verifySlackRequest } from '@slack/bolt';
import autocannon from 'autocannon';
import { commands } from '../../commands/index.js';
import { fromSlackText, splitVisibility } from '../../src/adapters/slack/mrkdwn.js';
import { renderSlack } from '../../src/adapters/slack/render.js';
import { createApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { RateLimiter } from '../../src/core/rate-limit.js';
import { createLogger } from '../../src/log.js';
import { Metrics } from '../../src/ops/metrics.js';
import { monthWords } from '../generate.js';
import { ms, times, type Line } from '../report.js';
import { median } from '../stats.js';

const SIGNING_SECRET = 'bench-signing-secret';
const HOST = '127.0.0.1';

type Kind = 'ours' | 'bare' | 'bare-fanout';

interface Server {
  kind: Kind;
  port: number;
  child: ChildProcess;
}

export interface Round {
  kind: Kind;
  /** The server process's CPU time per request (user + system), when /proc tells it. */
  cpuUsPerRequest?: number;
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
}

export interface SlackResults {
  rounds: Round[];
  ours: { rps: number; p50: number; p99: number };
  bare: { rps: number; p50: number; p99: number };
  bareFanout: { rps: number; p50: number; p99: number };
  ratio: number;
  /** Server CPU per request, median over rounds (µs); steadier than req/s on a shared machine. */
  cpu?: { ours: number; bare: number; ratio: number };
  /** In-process cost per request of each part of our answer (µs). */
  breakdown: Record<string, number>;
}

/** CPU time (ms) a process has used, from /proc (Linux); undefined elsewhere. */
function cpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined || !existsSync(`/proc/${pid}/stat`)) return undefined;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** Mean µs per call of `run` over `n` calls, after a warm-up. */
function perCall(n: number, run: (i: number) => unknown): number {
  for (let i = 0; i < Math.min(n, 500); i++) run(i);
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) run(i);
  return Number(process.hrtime.bigint() - start) / 1000 / n;
}

/**
 * What our server does per signed /sales besides what a bare Bolt ack does, measured in this process on the same
 * data and texts: the signature check (both pay it), reading Slack's text, the core's answer (rate limit, request
 * log line, metrics included), and each of those alone, and the Block Kit rendering with its JSON.
 */
async function breakdown(dataDir: string, texts: readonly string[]): Promise<Record<string, number>> {
  const logger = createLogger('info', openSync('/dev/null', 'w'));
  const config = parseConfig({ DATA_DIR: dataDir, RATE_LIMIT_PER_MINUTE: '1000000000' });
  const { bot } = await createApp(config, logger);
  const n = 3000;
  const ts = Math.floor(Date.now() / 1000);
  const bodies = texts.map((t) => new URLSearchParams({ command: '/sales', text: t, user_id: 'U0BENCH', channel_id: 'C0BENCH', team_id: 'T0BENCH' }).toString());
  const signatures = bodies.map((b) => `v0=${createHmac('sha256', SIGNING_SECRET).update(`v0:${ts}:${b}`).digest('hex')}`);
  const request = (i: number) => ({ kind: 'command' as const, name: 'sales', text: texts[i % texts.length]!, platform: 'slack' as const, user: 'U0BENCH', channel: 'C0BENCH', workspace: 'T0BENCH' });
  const replies = texts.map((_, i) => bot.handle(request(i)));
  const metrics = new Metrics();
  const limiter = new RateLimiter({ limit: 1_000_000_000 });
  const event = { requestId: '0a1b2c3d', platform: 'slack' as const, user: 'U0BENCH', workspace: 'T0BENCH', command: 'sales', outcome: 'answer' as const, latencyMs: 0.05 };
  return {
    'signature check (Bolt verifySlackRequest; bare pays it too)': perCall(n, (i) =>
      verifySlackRequest({ signingSecret: SIGNING_SECRET, body: bodies[i % bodies.length]!, headers: { 'x-slack-signature': signatures[i % bodies.length]!, 'x-slack-request-timestamp': ts } })),
    'Slack text to plain text (fromSlackText, public)': perCall(n, (i) => splitVisibility(fromSlackText(texts[i % texts.length]!))),
    'core answer (rate limit, log line, metrics included)': perCall(n, (i) => bot.handle(request(i))),
    '  of which the request log line': perCall(n, () => logger.info(event, 'request')),
    '  of which metrics': perCall(n, () => metrics.request(event)),
    '  of which the rate limit': perCall(n, (i) => limiter.check(`slack:T0BENCH:U${i % 50}`)),
    'Block Kit rendering + JSON': perCall(n, (i) => JSON.stringify(renderSlack(replies[i % replies.length]!))),
  };
}

async function startServer(kind: Kind, dataDir: string): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/slack-server.ts', kind, dataDir], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the ${kind} Slack server exited (${code}): ${stderr.trim()}`)));
  });
  return { kind, port: (JSON.parse(line) as { port: number }).port, child };
}

async function stopServer(server: Server): Promise<void> {
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.stdin!.end();
  const timer = setTimeout(() => server.child.kill(), 10_000);
  await exited;
  clearTimeout(timer);
}

/** A slash command request as Slack sends it, signed with the app's signing secret. */
function signed(text: string, timestamp: number): autocannon.Request {
  const body = new URLSearchParams({
    token: 'deprecated', team_id: 'T0BENCH', team_domain: 'bench', channel_id: 'C0BENCH', channel_name: 'bench',
    user_id: 'U0BENCH', user_name: 'bench', command: '/sales', text, api_app_id: 'A0BENCH',
    response_url: `http://${HOST}:9/response`, trigger_id: '1.2.3',
  }).toString();
  const signature = `v0=${createHmac('sha256', SIGNING_SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return {
    method: 'POST',
    path: '/slack/events',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature },
    body,
  };
}

async function round(server: Server, texts: readonly string[], seconds: number, connections: number): Promise<Round> {
  const now = Math.floor(Date.now() / 1000);
  const cpuBefore = cpuMs(server.child.pid);
  const result = await autocannon({ url: `http://${HOST}:${server.port}`, connections, duration: seconds, requests: texts.map((t) => signed(t, now)) });
  const cpuAfter = cpuMs(server.child.pid);
  return {
    kind: server.kind,
    ...(cpuBefore !== undefined && cpuAfter !== undefined && result.requests.total > 0 ? { cpuUsPerRequest: ((cpuAfter - cpuBefore) * 1000) / result.requests.total } : {}),
    rps: result.requests.total / (result.duration || seconds),
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/** One request by hand first: a signed command must come back 200 with the answer (ours) or an empty ack. */
async function check(server: Server, text: string, expect: string): Promise<void> {
  const req = signed(text, Math.floor(Date.now() / 1000));
  const res = await fetch(`http://${HOST}:${server.port}${req.path}`, { method: 'POST', headers: req.headers as Record<string, string>, body: req.body as string });
  const body = await res.text();
  if (res.status !== 200 || !body.includes(expect)) throw new Error(`${server.kind}: unexpected answer ${res.status} ${body.slice(0, 200)}`);
}

export async function benchSlack(
  dataDir: string,
  names: readonly string[],
  months: readonly string[],
  o: { rounds: number; seconds: number; connections: number },
): Promise<{ results: SlackResults; lines: Line[] }> {
  const texts = names.map((n, i) => `${n} ${monthWords(months[i % months.length]!)}`);
  const started = await Promise.allSettled([startServer('bare', dataDir), startServer('ours', dataDir), startServer('bare-fanout', dataDir)]);
  const servers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    await Promise.all(servers.map(stopServer));
    throw failed.reason;
  }
  const [bare, ours, fanout] = servers;
  try {
    await check(ours!, texts[0]!, names[0]!);
    await check(bare!, texts[0]!, '');
    await check(fanout!, texts[0]!, '');
    // Warm-up: both JITs settle before anything is measured.
    for (const s of servers) await round(s, texts, 1, o.connections);
    const rounds: Round[] = [];
    for (let r = 0; r < o.rounds; r++) {
      // Interleaved, and the order alternates, so a drift in the machine's load hits both alike.
      const order = r % 2 === 0 ? [bare!, ours!, fanout!] : [fanout!, ours!, bare!];
      for (const s of order) rounds.push(await round(s, texts, o.seconds, o.connections));
    }
    const pick = (kind: Kind) => {
      const rs = rounds.filter((x) => x.kind === kind);
      return { rps: median(rs.map((x) => x.rps)), p50: median(rs.map((x) => x.p50)), p99: median(rs.map((x) => x.p99)) };
    };
    const cpuOf = (kind: Kind) => {
      const values = rounds.filter((x) => x.kind === kind).flatMap((x) => (x.cpuUsPerRequest !== undefined ? [x.cpuUsPerRequest] : []));
      return values.length > 0 ? median(values) : undefined;
    };
    const [cpuOurs, cpuBare] = [cpuOf('ours'), cpuOf('bare')];
    const parts = await breakdown(dataDir, texts);
    const results: SlackResults = {
      rounds, ours: pick('ours'), bare: pick('bare'), bareFanout: pick('bare-fanout'), ratio: pick('ours').rps / pick('bare').rps,
      ...(cpuOurs !== undefined && cpuBare !== undefined ? { cpu: { ours: cpuOurs, bare: cpuBare, ratio: cpuBare / cpuOurs } } : {}),
      breakdown: parts,
    };
    const failures = rounds.reduce((s, x) => s + x.non2xx + x.errors, 0);
    const section = 'Slack HTTP';
    return {
      results,
      lines: [
        {
          section, measure: `signed /sales, ${o.connections} conns, median of ${o.rounds} × ${o.seconds} s rounds`, result: `${results.ours.rps.toFixed(0)} req/s`,
          baseline: `bare Bolt ack: ${results.bare.rps.toFixed(0)} req/s`, ratio: times(results.ratio), target: '≥ 0.9× bare', ok: results.ratio >= 0.9,
        },
        {
          section, measure: 'latency p50 / p99', result: `${ms(results.ours.p50)} / ${ms(results.ours.p99)}`,
          baseline: `bare: ${ms(results.bare.p50)} / ${ms(results.bare.p99)}`,
        },
        {
          section, measure: `  bare Bolt ack behind ${commands.length + 3} listeners (one per command, catch-all, mention, DM)`,
          result: `${results.bareFanout.rps.toFixed(0)} req/s`, baseline: `bare Bolt ack: ${results.bare.rps.toFixed(0)} req/s`, ratio: times(results.bareFanout.rps / results.bare.rps),
        },
        ...(results.cpu
          ? [{
            section, measure: 'server CPU per request (user + system, median of rounds)', result: `${results.cpu.ours.toFixed(0)} µs`,
            baseline: `bare Bolt ack: ${results.cpu.bare.toFixed(0)} µs`, ratio: times(results.cpu.ratio),
          }]
          : []),
        ...Object.entries(parts).map(([part, us]) => ({ section, measure: `  per request: ${part}`, result: `${us.toFixed(1)} µs` })),
        { section, measure: 'non-2xx responses and errors', result: String(failures), target: '0', ok: failures === 0 },
      ],
    };
  } finally {
    await Promise.all(servers.map(stopServer));
  }
}
