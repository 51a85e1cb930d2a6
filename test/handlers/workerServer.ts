import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import worker from '../../worker.ts';
import type { FakeEnv } from './fakeEnv.ts';

/**
 * The Worker's HTTP entry (worker.fetch) on `env`, served on a local port: for an operator command
 * run as its own process (npm run doctor) against the handler stack, as it would run against a
 * deployed Worker. `env` is read at each request, so a test may swap it.
 */
export async function serveWorker(env: () => FakeEnv): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    void bodyOf(req)
      .then((body) => worker.fetch(new Request(`http://worker${req.url}`, { method: req.method, headers: headersOf(req), body }), env()))
      .then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function bodyOf(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length > 0 ? Buffer.concat(chunks) : undefined;
}

const headersOf = (req: IncomingMessage): [string, string][] =>
  Object.entries(req.headers).flatMap(([name, value]) => (typeof value === 'string' ? [[name, value] as [string, string]] : []));
