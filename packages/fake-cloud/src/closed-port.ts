import { createServer } from 'node:net';

/**
 * A 127.0.0.1 port nothing listens on: bound, then released. A client sent
 * there gets `ECONNREFUSED` at once — a region or endpoint that is down, for
 * failover tests (a fault's `setOutage(true)` resets connections instead:
 * `ECONNRESET`). Another process could take the port in between; on a test
 * machine that is rare enough not to matter.
 */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
