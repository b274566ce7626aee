// @ts-check
/**
 * A stubbed transport UNDER the SDKs: the connection factory of HTTP agents
 * (`net.createConnection`, which every SDK here reaches — tea's httpx,
 * ali-oss's urllib and agentkeepalive, pop-core's httpx) hands out an
 * in-memory socket for chosen ports. The socket reads
 * the request bytes the real SDK code wrote and answers with the bytes the
 * fake cloud answered to the same call once, so every line of SDK code and of
 * Node's HTTP client runs; only the kernel and the network are gone.
 *
 * Usage: `recordAnswer(port, call)` makes one call over the network and keeps
 * the answer; `serveFromMemory(otherPort, answer)` then serves every request
 * to `otherPort` (where nothing listens) with it.
 */
import http from 'node:http';
import net from 'node:net';
import { Duplex } from 'node:stream';

/** @type {(...args: unknown[]) => import('node:net').Socket} */
const realCreateConnection = /** @type {any} */ (net.createConnection);
/** Ports served from memory, with the answer to give. */
/** @type {Map<number, Buffer>} */
const served = new Map();
/** Real sockets by port, so a recording also hears a pooled connection that is reused. */
/** @type {Map<number, Set<import('node:net').Socket>>} */
const realSockets = new Map();
/** Ports being recorded, with the listener that keeps the bytes. */
/** @type {Map<number, (chunk: Buffer) => void>} */
const recording = new Map();

/**
 * @this {http.Agent}
 * @param {import('node:net').NetConnectOpts & { port?: number }} options
 * @param {(error: Error | null, socket: Duplex) => void} [callback]
 */
function createConnection(options, callback) {
  // Other call forms (port, host, …) are passed through.
  if (typeof options !== 'object' || options === null)
    return realCreateConnection.apply(this, [...arguments]);
  const port = Number(options.port);
  const answer = served.get(port);
  if (answer) {
    const socket = new ReplaySocket(answer);
    if (callback) process.nextTick(callback, null, socket);
    return callback ? undefined : socket;
  }
  const socket = realCreateConnection.call(this, options, callback);
  if (socket) {
    const sockets = realSockets.get(port) ?? new Set();
    realSockets.set(port, sockets.add(socket));
    socket.once('close', () => sockets.delete(socket));
    const listen = recording.get(port);
    if (listen) socket.on('data', listen);
  }
  return socket;
}
// Patched process-wide, in bench workers that import this module BEFORE any SDK: Node's Agent took
// its own reference at start-up, and agentkeepalive 3 (ali-oss via urllib) copies net.createConnection
// when it loads.
http.Agent.prototype.createConnection = createConnection;
// @ts-expect-error -- same shape as net.createConnection for the object form
net.createConnection = createConnection;
// @ts-expect-error -- alias
net.connect = createConnection;

/**
 * Makes `call` (exactly one HTTP exchange with the server at `port`) over the
 * real network and returns the raw bytes the server answered.
 * @param {number} port
 * @param {() => Promise<unknown>} call
 */
export async function recordAnswer(port, call) {
  /** @type {Buffer[]} */
  const chunks = [];
  const listen = (/** @type {Buffer} */ chunk) => void chunks.push(chunk);
  for (const socket of realSockets.get(port) ?? []) socket.on('data', listen);
  recording.set(port, listen);
  try {
    await call();
  } finally {
    recording.delete(port);
    for (const socket of realSockets.get(port) ?? []) socket.off('data', listen);
  }
  if (chunks.length === 0) throw new Error(`nothing was received from port ${port}`);
  return Buffer.concat(chunks);
}

/**
 * From now on every connection to `port` (nothing listens there) is an
 * in-memory socket that answers each request with `answer`.
 * @param {number} port
 * @param {Buffer} answer
 */
export function serveFromMemory(port, answer) {
  served.set(port, answer);
}

/**
 * The in-memory socket: collects one request (headers, then a Content-Length
 * or chunked body), then pushes the recorded answer on the next tick, as a
 * real socket would; kept alive for the next request like a pooled one.
 */
class ReplaySocket extends Duplex {
  /** @param {Buffer} answer */
  constructor(answer) {
    super();
    this.answer = answer;
    /** @type {Buffer} */
    this.pending = Buffer.alloc(0);
    this.connecting = false;
    this.readyState = 'open';
    this.remoteAddress = '127.0.0.1';
    this.remotePort = 0;
    this.localAddress = '127.0.0.1';
    this.localPort = 0;
    this.bytesWritten = 0;
  }

  /**
   * @override
   * @param {Buffer} chunk
   * @param {BufferEncoding} _encoding
   * @param {(error?: Error | null) => void} done
   */
  _write(chunk, _encoding, done) {
    this.bytesWritten += chunk.length;
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    if (requestComplete(this.pending)) {
      this.pending = Buffer.alloc(0);
      process.nextTick(() => {
        this.push(this.answer);
      });
    }
    done();
  }

  /** @override */
  _read() {}

  /** @override @param {Error | null} error @param {(error: Error | null) => void} done */
  _destroy(error, done) {
    this.readyState = 'closed';
    done(error);
  }

  setTimeout() {
    return this;
  }
  setNoDelay() {
    return this;
  }
  setKeepAlive() {
    return this;
  }
  ref() {
    return this;
  }
  unref() {
    return this;
  }
  address() {
    return { address: '127.0.0.1', family: 'IPv4', port: 0 };
  }
}

/** @param {Buffer} bytes */
function requestComplete(bytes) {
  const headerEnd = bytes.indexOf('\r\n\r\n');
  if (headerEnd < 0) return false;
  const head = bytes.subarray(0, headerEnd).toString('latin1').toLowerCase();
  const length = /\r\ncontent-length:\s*(\d+)/.exec(head);
  if (length) return bytes.length - headerEnd - 4 >= Number(length[1]);
  if (head.includes('\r\ntransfer-encoding: chunked')) return bytes.subarray(-5).toString() === '0\r\n\r\n';
  return true;
}
