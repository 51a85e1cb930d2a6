import { expect } from 'vitest';
import type { ConfigInput } from '../../shared/config.ts';

/** The secrets of a Worker env: ADMIN_TOKEN, STATUS_TOKEN, the MongoDB URI and its password, where set. */
export function secretsOf(env: ConfigInput): string[] {
  const uri = String(env.MONGODB_URI ?? '');
  const password = URL.canParse(uri) ? decodeURIComponent(new URL(uri).password) : '';
  return [env.ADMIN_TOKEN, env.STATUS_TOKEN, uri, password].filter((secret): secret is string => typeof secret === 'string' && secret !== '');
}

/** Fails when one of `texts` (`what`: the answer, a log line) shows a secret of `env`. */
export function expectNoSecret(env: ConfigInput, what: string, texts: readonly string[]): void {
  for (const secret of secretsOf(env)) for (const text of texts) expect(text, `${what} shows no secret`).not.toContain(secret);
}
