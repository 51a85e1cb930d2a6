/**
 * The webhook signature (docs/webhooks.md), Stripe's scheme: the header
 * `X-Tender-Sync-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`. Signing
 * the time with the body lets a receiver refuse a replayed request older than its window. Web
 * Crypto only, so the same code signs in workerd and verifies in Node (the local receiver, tests)
 * or any receiver that copies it.
 */
export const SIGNATURE_HEADER = 'x-tender-sync-signature';

/** How old a signed request a receiver should still accept: the replay window. */
export const REPLAY_WINDOW_SECONDS = 300;

const encoder = new TextEncoder();

async function hmacHex(secret: string, payload: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(payload)));
  return Array.from(mac, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The header's value for `body` sent at `now`. */
export async function signatureHeader(secret: string, body: string, now: Date): Promise<string> {
  const t = Math.floor(now.getTime() / 1000);
  return `t=${t},v1=${await hmacHex(secret, `${t}.${body}`)}`;
}

export type Verdict = { ok: true } | { ok: false; reason: string };

/**
 * What a receiver does with a request: recompute the signature over the raw body as received (not
 * re-serialised JSON), compare in constant time, and refuse a time outside the replay window.
 */
export async function verifySignature(secret: string, body: string, header: string | null, now: Date, windowSeconds = REPLAY_WINDOW_SECONDS): Promise<Verdict> {
  const parts = new Map((header ?? '').split(',').map((part) => part.trim().split('=', 2) as [string, string]));
  const t = Number(parts.get('t'));
  const given = parts.get('v1');
  if (!Number.isInteger(t) || !given) return { ok: false, reason: 'no signature (want t=<unix>,v1=<hex>)' };
  if (Math.abs(now.getTime() / 1000 - t) > windowSeconds) return { ok: false, reason: `signed at ${t}, outside the ${windowSeconds} s replay window` };
  const expected = await hmacHex(secret, `${t}.${body}`);
  let difference = expected.length ^ given.length;
  for (let i = 0; i < expected.length; i++) difference |= expected.charCodeAt(i) ^ (given.charCodeAt(i) || 0);
  return difference === 0 ? { ok: true } : { ok: false, reason: 'signature does not match' };
}
