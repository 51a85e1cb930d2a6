/** How the Worker's endpoints answer: JSON or HTML, never showing a secret. */

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body, null, 2), { status, headers: { 'content-type': 'application/json' } });
}

export function html(body: string): Response {
  return new Response(body, { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' } });
}

/**
 * `text` with the secrets of `env` blanked out: the MongoDB URI, its password, ADMIN_TOKEN and
 * STATUS_TOKEN. An error from the driver or a parser may quote what it was given; whatever it
 * says, an answer or a log line built with this shows none of them.
 */
export function redactSecrets(text: string, env: { MONGODB_URI?: unknown; ADMIN_TOKEN?: unknown; STATUS_TOKEN?: unknown }): string {
  const uri = typeof env.MONGODB_URI === 'string' ? env.MONGODB_URI : '';
  const tokens = [env.ADMIN_TOKEN, env.STATUS_TOKEN].map((token) => (typeof token === 'string' ? token : ''));
  const secrets = [uri, passwordIn(uri), ...tokens].filter((s) => s.length >= 4);
  // Longest first, so the URI goes as a whole before its password is looked for.
  return secrets.sort((a, b) => b.length - a.length).reduce((out, secret) => out.split(secret).join('[redacted]'), text);
}

/** The password of `scheme://user:password@host`, raw and decoded, as one alternative. */
function passwordIn(uri: string): string {
  return /^[a-z+]+:\/\/[^:/@]*:([^@/]*)@/i.exec(uri)?.[1] ?? '';
}
