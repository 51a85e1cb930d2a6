import { expect } from 'vitest';
import worker from '../../worker.ts';
import type { FakeEnv } from './fakeEnv.ts';

export interface WorkerAnswer {
  status: number;
  contentType: string;
  text: string;
  /** The JSON body, when the answer is JSON. */
  body: Record<string, unknown>;
  /** What the Worker logged while answering. */
  logs: string[];
}

/**
 * Calls the Worker's HTTP entry (worker.fetch) and checks, for every answer and every line logged
 * while answering, that no secret of `env` is in it: ADMIN_TOKEN, the MongoDB URI or its password.
 * `body`: a string is sent as it is (malformed JSON, say), anything else as JSON.
 */
export async function callWorker(env: FakeEnv, method: string, path: string, options: { authorization?: string; body?: unknown } = {}): Promise<WorkerAnswer> {
  const headers: Record<string, string> = options.authorization ? { authorization: options.authorization } : {};
  const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const logs: string[] = [];
  const methods = ['log', 'info', 'warn', 'error'] as const;
  const originals = methods.map((name) => console[name]);
  for (const name of methods) console[name] = (...args: unknown[]) => void logs.push(args.map(String).join(' '));
  let response: Response;
  try {
    response = await worker.fetch(new Request(`http://worker${path}`, { method, headers, body }), env);
  } finally {
    methods.forEach((name, i) => (console[name] = originals[i]));
  }
  const text = await response.text();
  for (const secret of secretsOf(env)) {
    expect(text, 'the answer shows no secret').not.toContain(secret);
    for (const line of logs) expect(line, 'no log line shows a secret').not.toContain(secret);
  }
  const contentType = response.headers.get('content-type') ?? '';
  return { status: response.status, contentType, text, body: contentType.startsWith('application/json') ? JSON.parse(text) : {}, logs };
}

function secretsOf(env: FakeEnv): string[] {
  let password = '';
  try {
    password = decodeURIComponent(new URL(env.MONGODB_URI).password);
  } catch {
    // Not a URL: the URI itself is still checked.
  }
  return [env.ADMIN_TOKEN, env.MONGODB_URI, password].filter((secret) => secret !== '');
}
