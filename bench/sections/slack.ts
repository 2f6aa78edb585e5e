/**
 * Slack HTTP throughput: signed /sales slash commands against our running app and against a bare @slack/bolt
 * App that only acks, each in its own process on 127.0.0.1, rounds interleaved, load from autocannon.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { commands } from '../../commands/index.js';
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
  const result = await autocannon({ url: `http://${HOST}:${server.port}`, connections, duration: seconds, requests: texts.map((t) => signed(t, now)) });
  return {
    kind: server.kind,
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
    const results: SlackResults = { rounds, ours: pick('ours'), bare: pick('bare'), bareFanout: pick('bare-fanout'), ratio: pick('ours').rps / pick('bare').rps };
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
        { section, measure: 'non-2xx responses and errors', result: String(failures), target: '0', ok: failures === 0 },
      ],
    };
  } finally {
    await Promise.all(servers.map(stopServer));
  }
}
