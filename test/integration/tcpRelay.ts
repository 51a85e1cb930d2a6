import { createConnection, createServer, type Socket } from 'node:net';

/** Connections through one or more relays: how many are open now, the most open at once, and how many were opened. */
export class ConnectionCount {
  open = 0;
  most = 0;
  opened = 0;

  /** Starts a new measure: the most from what is open now. */
  reset(): void {
    this.most = this.open;
    this.opened = 0;
  }

  add(): void {
    this.opened++;
    this.open++;
    this.most = Math.max(this.most, this.open);
  }

  remove(): void {
    this.open--;
  }
}

export interface Relay {
  port: number;
  close(): Promise<void>;
}

/**
 * A TCP relay on loopback (on `port`, or a free one) to `target`: each connection a client opens
 * is piped to a connection of its own to the target, and counted on every one of `counts` while
 * open. Counted where connections are real, between the client and the server.
 */
export async function startRelay(target: { host: string; port: number }, counts: readonly ConnectionCount[], port = 0): Promise<Relay> {
  const clients = new Set<Socket>();
  const relay = createServer((client) => {
    clients.add(client);
    for (const count of counts) count.add();
    const server = createConnection(target);
    client.pipe(server).pipe(client);
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      clients.delete(client);
      for (const count of counts) count.remove();
      client.destroy();
      server.destroy();
    };
    client.on('close', close).on('error', close);
    server.on('close', close).on('error', close);
  });
  await new Promise<void>((resolve) => relay.listen(port, '127.0.0.1', resolve));
  return {
    port: (relay.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of clients) client.destroy();
        relay.close(() => resolve());
      }),
  };
}
