// HTTP over a real socket, telling apart an answer, a refusal, a reset and a truncated body: what the
// shutdown, slow-client and reliability checks count.
import http from 'node:http';
import net from 'node:net';

export type Outcome =
  | { kind: 'answered'; status: number; headers: http.IncomingHttpHeaders; body: string }
  /** The connection was refused before the request was written (the listener is closed): safe to retry. */
  | { kind: 'refused'; code: string }
  /** The request was written and the connection died without a complete answer. */
  | { kind: 'reset'; code: string }
  /** Headers came, then the body stopped short of Content-Length. */
  | { kind: 'truncated'; status: number; got: number; expected: number };

export function send(
  url: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string; agent?: http.Agent; onWritten?: () => void },
): Promise<Outcome> {
  // The path is sent as given (a path such as //v1//rules is not a URL to resolve).
  const target = new URL(url);
  const method = options.method ?? 'GET';
  return new Promise((resolve) => {
    let written = false;
    const req = http.request(
      {
        host: target.hostname,
        port: target.port,
        method,
        path: options.path,
        headers: { ...(options.body !== undefined ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(options.body)) } : {}), ...options.headers },
        agent: options.agent ?? false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        const expected = Number(res.headers['content-length'] ?? NaN);
        const finish = (ok: boolean) => {
          const body = Buffer.concat(chunks);
          if (!ok || (method !== 'HEAD' && res.statusCode !== 304 && Number.isFinite(expected) && body.length !== expected))
            resolve({ kind: 'truncated', status: res.statusCode ?? 0, got: body.length, expected });
          else resolve({ kind: 'answered', status: res.statusCode ?? 0, headers: res.headers, body: body.toString('utf8') });
        };
        res.on('end', () => finish(res.complete));
        res.on('aborted', () => finish(false));
        res.on('error', () => finish(false));
      },
    );
    req.on('socket', (s) => {
      if (s.connecting) s.once('connect', () => (written = true));
      else written = true;
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      const code = e.code ?? e.message;
      resolve(!written && code === 'ECONNREFUSED' ? { kind: 'refused', code } : { kind: 'reset', code });
    });
    // Written = connected and every byte handed to the kernel (a socket still connecting queues writes).
    req.once('finish', () => {
      const check = () => {
        const s = req.socket;
        if (s && !s.connecting && s.writableLength === 0) options.onWritten?.();
        else setTimeout(check, 2);
      };
      check();
    });
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** A raw TCP conversation: write `chunks` (with pauses), read until the server closes or `timeoutMs`. */
export function raw(
  url: string,
  chunks: (string | { pauseMs: number })[],
  timeoutMs: number,
): Promise<{ data: string; closedByServer: boolean; ms: number; error?: string }> {
  const target = new URL(url);
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect(Number(target.port), target.hostname);
    let data = '';
    let done = false;
    const finish = (closedByServer: boolean, error?: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ data, closedByServer, ms: Date.now() - started, ...(error ? { error } : {}) });
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on('data', (d) => (data += d.toString('latin1')));
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('error', (e: NodeJS.ErrnoException) => finish(true, e.code));
    socket.once('connect', async () => {
      for (const c of chunks) {
        if (done) return;
        if (typeof c === 'string') socket.write(c);
        else await new Promise((r) => setTimeout(r, c.pauseMs));
      }
    });
  });
}

/** Splits a raw HTTP/1.1 answer into status, headers and body. */
export function parseRaw(data: string): { status: number; headers: Record<string, string>; body: string } | null {
  const end = data.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const [statusLine, ...lines] = data.slice(0, end).split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '')?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const l of lines) {
    const i = l.indexOf(':');
    if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  return { status, headers, body: data.slice(end + 4) };
}
