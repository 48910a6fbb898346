/**
 * Fixes for node-routeros 1.6.9 (discontinued; routeros-client 1.1.2 sits on top of it), applied
 * once at import time. Everything in libs/routeros that opens a connection imports this file
 * first, so no connection can exist without the fixes. docs/routeros.md §8 has the background.
 *
 * 1. `!empty` (RouterOS >= 7.18 answers an empty print with `!empty` then `!done`). The stock
 *    Channel treats it as an unknown reply and throws from inside the socket data handler: an
 *    uncaught exception or a call that never settles. We ignore it, so the `!done` that follows
 *    resolves the call with []. It must NOT be rewritten into `!done`: that would close the tag
 *    and the real `!done` would then hit an unregistered tag.
 * 2. `!trap` rejects with a bare `new Error(message)`, losing `=category=`. Channel.write is
 *    replaced by the same code rejecting with RosTrap, which keeps message and category.
 * 3. Any other unknown reply word rejects that call instead of throwing in the socket handler.
 * 4. A reply for a tag nobody listens to (a call we gave up on, a confused router) throws
 *    UNREGISTEREDTAG inside the socket handler and wedges the receiver; we drop it instead.
 * 5. `!fatal` carries a reason that the stock receiver discards; we keep it on the socket so the
 *    connection wrapper can report it.
 * 6. The stock Connector writes every word with its own socket.write (one TCP segment each
 *    with NODELAY). We send a whole sentence in one write, and sentences issued in the same
 *    tick in one writev: same bytes, a fraction of the syscalls and packets. An ASCII sentence
 *    is framed in one buffer instead of a zero-filled buffer per word.
 * 7. A socket error without an errno (TLS: a refused certificate) reached callers as an error
 *    with an empty message; it keeps its code and text, e.g. "self-signed certificate".
 */
import { Channel, Connector, Receiver, RosException } from 'node-routeros';
import { encodeSentence } from './wire-framing';

// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/;

export class RosTrap extends Error {
  constructor(
    message: string,
    readonly category: number | undefined,
  ) {
    super(message);
    this.name = 'RosTrap';
  }
}

export const FATAL_MESSAGE_KEY = '__isp_ros_fatal_message';

// The private members these patches touch, as they are in node-routeros 1.6.9's dist code.
interface ChannelInternals {
  id: string;
  data: Record<string, string>[];
  streaming: boolean;
  trapped: boolean;
  on(event: string, fn: (...args: never[]) => void): void;
  once(event: string, fn: (...args: never[]) => void): void;
  emit(event: string, ...args: unknown[]): boolean;
  close(force?: boolean): void;
  readAndWrite(params: string[]): void;
  parsePacket(packet: string[]): Record<string, string>;
}
interface ConnectorInternals {
  emit(event: string, ...args: unknown[]): boolean;
  destroy(): void;
  transmitter: { pool: Buffer[]; socket: { writable: boolean; writableCorked: number; cork(): void; uncork(): void; write(b: Buffer): boolean }; encodeString(s: string | null): Buffer | string };
}
interface ReceiverInternals {
  tags: Map<string, { name: string; callback: (packet: string[]) => void }>;
  currentPacket: string[];
  currentReply: string | null;
  sentencePipe: { sentence: string; hadMore: boolean }[];
  socket: { [FATAL_MESSAGE_KEY]?: string };
  cleanUp(): void;
}

const PATCHED = Symbol.for('isp-netops.node-routeros-fixes');

function apply(): void {
  const channelProto = Channel.prototype as unknown as ChannelInternals & Record<symbol, boolean>;
  const receiverProto = Receiver.prototype as unknown as ReceiverInternals & { processSentence(): void; sendTagData(tag: string): void };
  if (channelProto[PATCHED]) return;
  for (const [name, fn] of [
    ['Channel.processPacket', (channelProto as unknown as Record<string, unknown>).processPacket],
    ['Channel.readAndWrite', channelProto.readAndWrite],
    ['Receiver.processSentence', receiverProto.processSentence],
    ['Receiver.sendTagData', receiverProto.sendTagData],
  ] as const) {
    // Fail at startup, not in production traffic, if an upgrade changed what we patch.
    if (typeof fn !== 'function') throw new Error(`node-routeros-fixes: ${name} not found; the fixes were written for node-routeros 1.6.9`);
  }

  const originalProcessPacket = (channelProto as unknown as { processPacket(packet: string[]): void }).processPacket;
  (channelProto as unknown as { processPacket(this: ChannelInternals, packet: string[]): void }).processPacket = function (packet) {
    const reply = packet[0];
    if (reply === '!empty') return; // fix 1
    if (reply !== '!re' && reply !== '!done' && reply !== '!trap') {
      // fix 3: reject this call only
      this.trapped = true;
      this.emit('trap', { message: `unknown reply ${reply}`, category: '5' });
      this.close();
      return;
    }
    originalProcessPacket.call(this, packet);
  };

  // fix 2: identical to the 1.6.9 write(), except for the rejection value.
  (channelProto as unknown as { write(this: ChannelInternals, params: string[], isStream?: boolean, returnPromise?: boolean): Promise<unknown> | undefined }).write =
    function (params, isStream = false, returnPromise = true) {
      this.streaming = isStream;
      params.push('.tag=' + this.id);
      if (!returnPromise) {
        this.readAndWrite(params);
        return undefined;
      }
      this.on('data', (packet: Record<string, string>) => this.data.push(packet));
      return new Promise((resolve, reject) => {
        this.once('done', (data: unknown) => resolve(data));
        this.once('trap', (data: Record<string, string>) => {
          const category = data.category === undefined || data.category === '' ? undefined : Number(data.category);
          reject(new RosTrap(data.message ?? 'trap without message', Number.isFinite(category) ? category : undefined));
        });
        this.readAndWrite(params);
      });
    };

  // fix 4
  receiverProto.sendTagData = function (this: ReceiverInternals, tag: string) {
    const reader = this.tags.get(tag);
    if (reader) reader.callback(this.currentPacket);
    this.cleanUp();
  };

  // fix 5: the word after `!fatal` is its reason (bare, or as =message=).
  const originalProcessSentence = receiverProto.processSentence;
  receiverProto.processSentence = function (this: ReceiverInternals) {
    if (this.currentReply === '!fatal' && this.sentencePipe.length > 0) {
      this.socket[FATAL_MESSAGE_KEY] = this.sentencePipe[0].sentence.replace(/^=message=/, '');
    }
    originalProcessSentence.call(this);
  };

  // fix 6
  const connectorProto = Connector.prototype as unknown as ConnectorInternals & { write(data: string[]): unknown };
  if (typeof connectorProto.write !== 'function') throw new Error('node-routeros-fixes: Connector.write not found');
  connectorProto.write = function (this: ConnectorInternals, data: string[]) {
    const t = this.transmitter;
    // ASCII is the same bytes in win1252 (node-routeros' charset): framed in one buffer. Other
    // text (accented names) goes through node-routeros' own win1252 encoder, word by word.
    const sentence = data.every((w) => ASCII.test(w))
      ? encodeSentence(data)
      : Buffer.concat([...data.map((w) => t.encodeString(w)).map((b) => (typeof b === 'string' ? Buffer.from(b, 'latin1') : b)), Buffer.from([0])]);
    // Before the socket is up, words wait in the transmitter's pool (flushed on connect).
    if (!t.socket.writable || t.pool.length > 0) t.pool.push(sentence);
    else {
      // Commands issued in the same tick leave in one writev.
      if (!t.socket.writableCorked) {
        t.socket.cork();
        process.nextTick(() => t.socket.uncork());
      }
      t.socket.write(sentence);
    }
    return this;
  };

  // fix 7: as the stock onError, but the error keeps its reason.
  (connectorProto as unknown as { onError(err: NodeJS.ErrnoException): void }).onError = function (this: ConnectorInternals, err: NodeJS.ErrnoException) {
    const wrapped = new RosException((err.errno ?? err.code) as string, err);
    if (!wrapped.message) wrapped.message = err.code && !err.message.includes(err.code) ? `${err.message} (${err.code})` : err.message;
    this.emit('error', wrapped, this);
    this.destroy();
  };

  channelProto[PATCHED] = true;
}

apply();
