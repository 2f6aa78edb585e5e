/**
 * HTTP/1.1 over a plain TCP socket, for what fetch cannot do: send headers and stall, send part of a body,
 * announce a 4 MB body and never send it. Everything on 127.0.0.1.
 */
import { connect, type Socket } from 'node:net';
import { slackSignature } from '../../support/slack-standin.js';

export interface RawExchange {
  socket: Socket;
  /** Resolves once the socket is connected. */
  connected: Promise<void>;
  /** Everything the server sent, once it closed the connection (or the client did). */
  closed: Promise<string>;
  /** Resolves with the first response's status line's code once it has arrived. */
  status: Promise<number>;
  /** Writes more bytes; resolves once they are handed to the kernel. */
  write(data: string | Buffer): Promise<void>;
}

export function rawConnect(port: number): RawExchange {
  const socket = connect({ host: '127.0.0.1', port });
  let received = '';
  let onStatus: (code: number) => void = () => undefined;
  const status = new Promise<number>((resolve) => (onStatus = resolve));
  socket.on('data', (d: Buffer) => {
    received += d.toString('utf8');
    const m = /^HTTP\/1\.1 (\d{3})/.exec(received);
    if (m) onStatus(Number(m[1]));
  });
  // A reset (the server dropping us) is a way of closing too.
  socket.on('error', () => undefined);
  const closed = new Promise<string>((resolve) => socket.once('close', () => resolve(received)));
  void closed.then(() => onStatus(0));
  const connected = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  const write = (data: string | Buffer) => new Promise<void>((resolve) => socket.write(data, () => resolve()));
  return { socket, connected, closed, status, write };
}

/** Request head for POST /slack/events, with the given headers (no body). */
export function head(headers: Record<string, string | number>, path = '/slack/events'): string {
  const lines = Object.entries({ host: '127.0.0.1', ...headers }).map(([k, v]) => `${k}: ${v}`);
  return `POST ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}

/** Headers of a validly signed request for `body` (fresh timestamp), for raw sends. */
export function signedHeaders(secret: string, body: string, contentType = 'application/x-www-form-urlencoded'): Record<string, string | number> {
  const ts = Math.floor(Date.now() / 1000);
  return {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'x-slack-request-timestamp': ts,
    'x-slack-signature': slackSignature(secret, ts, body),
  };
}
