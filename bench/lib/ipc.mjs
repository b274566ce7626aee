// @ts-check
/**
 * Request/answer over a Node IPC channel (a forked child's `process`, or the
 * parent's `ChildProcess`), in both directions at once: the coordinator asks
 * workers to run blocks, a worker asks the coordinator to steer the emulator.
 */

/**
 * @typedef {{ send(message: unknown): unknown, on(event: 'message', listener: (message: any) => void): unknown }} Channel
 * @typedef {Record<string, (...args: any[]) => unknown>} Handlers
 */

/**
 * Answers requests arriving on `channel` with `handlers`, and returns a
 * function that sends requests the other way.
 * @param {Channel} channel
 * @param {Handlers} [handlers]
 */
export function connect(channel, handlers = {}) {
  let nextId = 0;
  /** @type {Map<number, { resolve: (value: any) => void, reject: (error: Error) => void }>} */
  const pending = new Map();
  channel.on('message', (message) => {
    if (message?.kind === 'answer') {
      const waiter = pending.get(message.id);
      pending.delete(message.id);
      if (message.ok) waiter?.resolve(message.value);
      else waiter?.reject(new Error(message.error));
    } else if (message?.kind === 'request') {
      void answer(message);
    }
  });

  /** @param {{ id: number, method: string, args: unknown[] }} request */
  async function answer({ id, method, args }) {
    try {
      const handler = handlers[method];
      if (!handler) throw new Error(`no handler for ${method}`);
      channel.send({ kind: 'answer', id, ok: true, value: (await handler(...args)) ?? null });
    } catch (error) {
      const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
      channel.send({ kind: 'answer', id, ok: false, error: `${method}: ${text}` });
    }
  }

  /** @type {(method: string, ...args: unknown[]) => Promise<any>} */
  return function request(method, ...args) {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      channel.send({ kind: 'request', id, method, args });
    });
  };
}
