import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { makeTestCertificates } from '../../scripts/local/testCertificates.ts';

export interface UntrustedServer {
  url: string;
  /** TCP connections made to it: every request that tried, since none gets past the handshake. */
  connections: number;
  close(): Promise<void>;
}

/**
 * An https server whose certificate is signed by a CA made for the run and sent alone, without the
 * CA: the shape of an origin that leaves out its intermediate certificate. Node (and workerd) do
 * not trust it, so every request fails verifying the first certificate, as they would at such an origin.
 */
export async function startUntrustedServer(): Promise<UntrustedServer> {
  const certificates = makeTestCertificates();
  const server = createServer({ cert: readFileSync(certificates.certFile), key: readFileSync(certificates.keyFile) }, (_request, response) => response.end('{}'));
  const counted: UntrustedServer = {
    url: '',
    connections: 0,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  server.on('connection', () => counted.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  counted.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return counted;
}
