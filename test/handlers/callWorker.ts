import worker from '../../worker.ts';
import { capturedLogs } from './capturedLogs.ts';
import type { FakeEnv } from './fakeEnv.ts';
import { expectNoSecret } from './secretsOf.ts';

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
 * while answering, that no secret of `env` is in it (secretsOf.ts).
 * `body`: a string is sent as it is (malformed JSON, say), anything else as JSON.
 */
export async function callWorker(env: FakeEnv, method: string, path: string, options: { authorization?: string; body?: unknown } = {}): Promise<WorkerAnswer> {
  const headers: Record<string, string> = options.authorization ? { authorization: options.authorization } : {};
  const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const { logs, thrown, result: response } = await capturedLogs(() => worker.fetch(new Request(`http://worker${path}`, { method, headers, body }), env));
  if (thrown !== null || !response) throw new Error(`worker.fetch threw: ${thrown}`);
  const text = await response.text();
  expectNoSecret(env, 'the answer', [text]);
  expectNoSecret(env, 'a log line', logs);
  const contentType = response.headers.get('content-type') ?? '';
  return { status: response.status, contentType, text, body: contentType.startsWith('application/json') ? JSON.parse(text) : {}, logs };
}
