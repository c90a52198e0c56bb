// A graceful stop that loses nothing. On SIGTERM: readiness turns 503 at once and every answer from then on
// carries `Connection: close`; after SHUTDOWN_DELAY_MS the listener stops accepting connections (the ones
// the kernel has already queued are accepted and served first); requests already received, keep-alive
// included, are answered; idle keep-alive connections are closed; when SHUTDOWN_GRACE_MS runs out, batches
// still running stop at their next element with a complete 503 problem, the answers being written get a
// moment to finish, and only then are the last connections closed.
import type { Server } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** How long answers still being written may take once the grace period is over. */
export const FLUSH_MS = 2000;
/** A connection idle at the stop gets this long to deliver a request it may already have sent. */
const IDLE_SETTLE_MS = 100;
/** The least time the listener keeps taking in connections the kernel already holds (else half the grace period). */
const ACCEPT_WAIT_MS = 1000;
/** No connection taken in for this long: none is waiting. */
const QUIET_MS = 100;
/** A connection that has sent no request at all gets this long after the listener closes. */
const FRESH_WAIT_MS = 2000;

export interface DrainResult {
  /** The grace period ran out with requests in flight: batches were cut with a 503. */
  cut: boolean;
  /** Requests still in flight when the connections were closed (0 unless a client did not read its answer). */
  abandoned: number;
  ms: number;
}

export class Lifecycle {
  #shuttingDown = false;
  readonly #cut = new AbortController();
  #inFlight = 0;
  /** Open connections: requests in progress on each, and how many it has had. */
  readonly #sockets = new Map<Socket, { active: number; seen: number }>();
  #server: Server | null = null;
  #accepted = 0;

  /** Readiness is 503 and answers close their connection. */
  get shuttingDown(): boolean {
    return this.#shuttingDown;
  }

  /** Aborted when the grace period runs out: batches stop and answer 503. */
  get cutSignal(): AbortSignal {
    return this.#cut.signal;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /** Counts requests and connections of a server, from the socket up (whatever route or hook answers). */
  attach(server: Server): void {
    this.#server = server;
    server.on('connection', (socket: Socket) => {
      this.#accepted++;
      this.#sockets.set(socket, { active: 0, seen: 0 });
      socket.once('close', () => this.#sockets.delete(socket));
    });
    server.on('request', (req, res) => {
      const socket = req.socket;
      const state = this.#sockets.get(socket);
      this.#inFlight++;
      if (state) {
        state.active++;
        state.seen++;
      }
      let done = false;
      const finished = () => {
        if (done) return;
        done = true;
        this.#inFlight--;
        if (state) state.active = Math.max(0, state.active - 1);
      };
      // A pipelined request whose connection closes before its turn never gets 'close' on its response.
      socket.once('close', finished);
      res.once('close', () => {
        socket.removeListener('close', finished);
        finished();
      });
    });
  }

  /**
   * Whether an answer should close its connection: once stopping, unless another request already
   * received on the same connection (pipelined) waits behind it.
   */
  closesConnection(socket: Socket): boolean {
    return this.#shuttingDown && (this.#sockets.get(socket)?.active ?? 0) <= 1;
  }

  /**
   * Ends the connections that have no request in progress: keep-alive connections between requests,
   * and connections that have sent nothing yet once they have had FRESH_WAIT_MS to do so (a request
   * may be on its way: the server accepted the connection and has not read it yet). end(), not
   * destroy(), so that an answer still in the socket's buffer reaches the client before the FIN
   * (http.Server#closeIdleConnections destroys them, which can cut the tail of an answer).
   */
  #endIdle(freshToo: boolean): void {
    for (const [socket, state] of this.#sockets)
      if (state.active === 0 && (state.seen > 0 || freshToo) && !socket.writableEnded) socket.end();
  }

  /** Marks the service as stopping (readiness 503) without draining: for a process whose primary drains. */
  beginShutdown(): void {
    this.#shuttingDown = true;
  }

  async drain(options: { graceMs: number; delayMs: number; onStopListening?: (state: { connections: number; inFlight: number }) => void }): Promise<DrainResult> {
    const started = Date.now();
    const deadline = started + options.graceMs;
    this.#shuttingDown = true;
    const server = this.#server;
    if (!server) return { cut: false, abandoned: 0, ms: 0 };
    if (options.delayMs > 0) await sleep(options.delayMs);
    // Connections the kernel has accepted but Node not yet are taken in (and served) before the
    // listening socket closes; closing it would reset them. Node takes in about one per turn of the
    // event loop, and a loaded loop turns slowly: keep turning until none has come for QUIET_MS, for
    // at most half the grace period (ACCEPT_WAIT_MS at least).
    const acceptBy = Date.now() + Math.max(ACCEPT_WAIT_MS, options.graceMs / 2);
    // Quiet means both: no connection for QUIET_MS, and for three turns in a row (a loaded loop can take
    // longer than QUIET_MS for one turn, and each turn takes in one connection if one is waiting).
    let last = { count: this.#accepted, at: Date.now(), turns: 0 };
    while (Date.now() < acceptBy) {
      await sleep(2);
      if (this.#accepted !== last.count) last = { count: this.#accepted, at: Date.now(), turns: 0 };
      else if (++last.turns >= 3 && Date.now() - last.at >= QUIET_MS) break;
    }
    // Stop listening without http.Server#close's closeIdleConnections(): a connection idle right now
    // may already have a request on its way.
    if (server.listening) NetServer.prototype.close.call(server);
    options.onStopListening?.({ connections: this.#sockets.size, inFlight: this.#inFlight });
    const freshBy = Date.now() + FRESH_WAIT_MS;
    await sleep(IDLE_SETTLE_MS);
    while (Date.now() < deadline && (this.#inFlight > 0 || this.#sockets.size > 0)) {
      this.#endIdle(Date.now() >= freshBy);
      await sleep(Math.min(50, Math.max(1, deadline - Date.now())));
    }
    const cut = this.#inFlight > 0;
    if (cut) {
      this.#cut.abort();
      const flushBy = Date.now() + FLUSH_MS;
      while (Date.now() < flushBy && (this.#inFlight > 0 || this.#sockets.size > 0)) {
        this.#endIdle(true);
        await sleep(20);
      }
    }
    const abandoned = this.#inFlight;
    // Whatever is left (a client that neither reads its answer nor closes): cut.
    for (const socket of this.#sockets.keys()) socket.destroy();
    return { cut, abandoned, ms: Date.now() - started };
  }
}
