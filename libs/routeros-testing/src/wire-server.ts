import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { RouterFaults } from './faults';
import { Trap, type Reply, type Row } from './menu-store';
import type { RouterVersion } from './router-version';
import type { Scheduler } from './scheduler';
import { attributesOf, encodeSentence, SentenceDecoder } from './wire-protocol';

export interface SimStats {
  connectionsAccepted: number;
  activeConnections: number;
  logins: number;
  loginFailures: number;
  /** API commands after login, keepalives (`#`) and /login excluded */
  commands: number;
  commandsByPath: Record<string, number>;
  keepalives: number;
}

export function emptyStats(): SimStats {
  return { connectionsAccepted: 0, activeConnections: 0, logins: 0, loginFailures: 0, commands: 0, commandsByPath: {}, keepalives: 0 };
}

/** One API connection. */
export interface WireSession {
  socket: Socket;
  loggedIn: boolean;
  challenge?: Buffer;
  /** streaming commands (ping) by tag, with their cancel */
  running: Map<string, () => void>;
  /** writes a reply through the faults (latency, cut reply) */
  write(data: Buffer): void;
  /** whether a reply went out yet: the first one also pays for the TCP handshake under latency */
  answered: boolean;
}

/** What the server needs from the router behind it. */
export interface CommandHandler {
  /** a command that answers once */
  execute(command: string, attrs: Row, queries: string[]): Reply;
  /** a command that streams its answer (`/ping`); false when `command` is not one */
  stream(command: string, session: WireSession, tag: string, attrs: Row): boolean;
}

export interface WireServerOptions {
  host: string;
  port: number;
  tls?: { key: string; cert: string };
  version: RouterVersion;
  user: string;
  password: string;
  faults: RouterFaults;
  stats: SimStats;
  scheduler: Scheduler;
  handler: CommandHandler;
  /** false while the router is down or stopped: new connections are dropped */
  accepting: () => boolean;
}

/**
 * The RouterOS API over TCP (or TLS for api-ssl): framing, login (plain, or the pre-6.43 MD5
 * challenge), tags, `/cancel`, `/quit`, replies as `!re`/`!trap`/`!empty`/`!done`, and the
 * wire-level faults (hang, cut reply, latency, refused login).
 */
export class WireServer {
  port: number;
  private server?: Server;
  private readonly sessions = new Set<WireSession>();

  constructor(private readonly o: WireServerOptions) {
    this.port = o.port;
  }

  listen(): Promise<void> {
    const tls = this.o.tls;
    const server = tls ? createTlsServer({ key: tls.key, cert: tls.cert }, (socket) => this.accept(socket)) : createServer((socket) => this.accept(socket));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.o.host, () => {
        server.off('error', reject);
        this.port = (server.address() as { port: number }).port;
        resolve();
      });
    });
  }

  /** Stops listening and drops every connection (the port is refused until `listen`). */
  async close(): Promise<void> {
    this.dropConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
    this.server = undefined;
  }

  dropConnections(): void {
    for (const s of this.sessions) s.socket.destroy();
  }

  sendFatal(message: string): void {
    for (const s of this.sessions) {
      s.socket.write(encodeSentence(['!fatal', message]));
      s.socket.end();
    }
  }

  private accept(socket: Socket): void {
    if (!this.o.accepting()) return void socket.destroy();
    const stats = this.o.stats;
    stats.connectionsAccepted++;
    stats.activeConnections++;
    socket.setNoDelay(true);
    const session: WireSession = { socket, loggedIn: false, answered: false, running: new Map(), write: (data) => this.write(session, data, true) };
    this.sessions.add(session);
    const decoder = new SentenceDecoder();
    socket.on('data', (chunk) => {
      let sentences: string[][];
      try {
        sentences = decoder.push(chunk);
      } catch {
        return void socket.destroy();
      }
      // One write for all replies produced by this chunk (pipelined commands answer together).
      socket.cork();
      for (const s of sentences) this.onSentence(session, s);
      process.nextTick(() => socket.uncork());
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      stats.activeConnections--;
      this.sessions.delete(session);
      for (const cancel of session.running.values()) cancel();
    });
  }

  private onSentence(session: WireSession, words: string[]): void {
    const [command, ...rest] = words;
    const tagWord = rest.find((w) => w.startsWith('.tag='));
    const tag = tagWord ? tagWord.slice(5) : '';
    const stats = this.o.stats;
    if (command === '/login') {
      // counted apart from commands: tests count "commands that touched the router"
    } else if (command === '#') stats.keepalives++;
    else {
      stats.commands++;
      stats.commandsByPath[command] = (stats.commandsByPath[command] ?? 0) + 1;
    }
    if (this.o.faults.hung) return;
    const attrs = attributesOf(rest);
    const queries = rest.filter((w) => w.startsWith('?'));
    const respond = (reply: Reply | Trap) => this.send(session, tag, command, reply);
    if (command === '/login') return respond(this.login(session, attrs));
    if (!session.loggedIn) return respond(new Trap('not logged in', 5));
    if (command === '/cancel') {
      const target = attrs.tag;
      for (const [t, cancel] of session.running) if (target === undefined || t === target) cancel();
      return respond({ rows: [] });
    }
    if (command === '/quit') {
      session.socket.write(encodeSentence(['!fatal', 'session terminated on request']));
      session.socket.end();
      return;
    }
    if (this.o.handler.stream(command, session, tag, attrs)) return;
    const fault = this.o.faults.takeCommandFault(command);
    if (fault === 'drop') {
      // The connection goes before the router did anything: the caller cannot know.
      session.socket.destroy();
      return;
    }
    if (fault === 'trap') return respond(new Trap(`failure: ${command} refused (simulated fault)`, 1));
    let result: Reply | Trap;
    try {
      result = this.o.handler.execute(command, attrs, queries);
    } catch (err) {
      result = err instanceof Trap ? err : new Trap((err as Error).message, 4);
    }
    respond(result);
  }

  private login(session: WireSession, a: Row): Reply | Trap {
    const { version, user, password, faults } = this.o;
    if (version.challengeLogin && a.response === undefined) {
      session.challenge = randomBytes(16);
      return { rows: [], done: { ret: session.challenge.toString('hex') } };
    }
    let ok = a.name === user && !faults.refuseLogin;
    if (version.challengeLogin) {
      const expected = '00' + createHash('md5').update(Buffer.concat([Buffer.from([0]), Buffer.from(password, 'latin1'), session.challenge ?? Buffer.alloc(0)])).digest('hex');
      ok &&= a.response === expected;
    } else ok &&= a.password === password;
    if (!ok) {
      this.o.stats.loginFailures++;
      // docs/routeros.md, "API login": the trap a real router sends for a wrong user or password.
      return new Trap('invalid user name or password (6)');
    }
    this.o.stats.logins++;
    session.loggedIn = true;
    return { rows: [] };
  }

  private send(session: WireSession, tag: string, command: string, reply: Reply | Trap): void {
    const tagWords = tag ? [`.tag=${tag}`] : [];
    const chunks: Buffer[] = [];
    if (reply instanceof Trap) {
      chunks.push(encodeSentence(['!trap', ...(reply.category === undefined ? [] : [`=category=${reply.category}`]), `=message=${reply.message}`, ...tagWords]));
      chunks.push(encodeSentence(['!done', ...tagWords]));
    } else {
      for (const row of reply.rows) chunks.push(encodeSentence(['!re', ...Object.entries(row).map(([k, v]) => `=${k}=${v}`), ...tagWords]));
      if (!reply.rows.length && this.o.version.emptyReplies && /\/(print|getall)$/.test(command)) chunks.push(encodeSentence(['!empty', ...tagWords]));
      chunks.push(encodeSentence(['!done', ...Object.entries(reply.done ?? {}).map(([k, v]) => `=${k}=${v}`), ...tagWords]));
    }
    this.write(session, Buffer.concat(chunks), command !== '/login');
  }

  private write(session: WireSession, data: Buffer, droppable: boolean): void {
    const faults = this.o.faults;
    const go = () => {
      if (session.socket.destroyed) return;
      if (droppable && faults.dropNextReply) {
        faults.dropNextReply = false;
        session.socket.write(data.subarray(0, Math.max(1, data.length >> 1)));
        session.socket.destroy();
        return;
      }
      session.socket.write(data);
    };
    // A connection's first reply waits one round trip more: a router a WAN hop away costs the
    // TCP handshake before the client can send anything, which loopback does not delay.
    const handshake = session.answered ? 0 : faults.apiLatencyMs;
    session.answered = true;
    if (faults.apiLatencyMs > 0) this.o.scheduler.later(go, faults.apiLatencyMs + handshake);
    else go();
  }
}
