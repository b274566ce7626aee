import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { Server } from 'node:http';

const REQUEST_START = 'http.server.request.start';

/**
 * Runs `action` at the very moment the `count`-th request reaches the server
 * listening on `endpoint`'s port (Node's `http.server.request.start`
 * diagnostics channel, published before the server reads the body or
 * answers). Every request counted is on the wire and unanswered when `action`
 * runs, whatever the machine's speed: no sleeping, no timing.
 *
 * Only for servers in this process (the fake cloud), e.g.
 * `whenRequestsArrive(cloud.ecs.endpoint, 100, () => cloud.rotate(name, { revokeOld: 'now' }))`
 * rotates while 100 calls are in flight.
 */
export function whenRequestsArrive<T>(endpoint: string, count: number, action: () => T): Promise<T> {
  const port = Number(new URL(endpoint).port);
  return new Promise<T>((resolve, reject) => {
    let arrived = 0;
    const onRequest = (message: unknown): void => {
      const address = (message as { server: Server }).server.address();
      if (typeof address !== 'object' || address === null || address.port !== port) return;
      arrived += 1;
      if (arrived < count) return;
      unsubscribe(REQUEST_START, onRequest);
      try {
        resolve(action());
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    };
    subscribe(REQUEST_START, onRequest);
  });
}
