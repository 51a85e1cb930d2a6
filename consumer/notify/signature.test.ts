import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { REPLAY_WINDOW_SECONDS, signatureHeader, verifySignature } from './signature.ts';

const SECRET = 'whsec-the-receivers-own-secret';
const BODY = '{"id":"wh-1:FIND_A_TENDER:1-2026|new","change":{"cursor":10000}}';
const NOW = new Date('2026-12-07T12:00:00Z');
const later = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

describe('webhook signature: t=<unix>,v1=<hex HMAC-SHA256(secret, t.body)>', () => {
  it('is HMAC-SHA256 of the time and the body, as any HMAC library computes it', async () => {
    const t = NOW.getTime() / 1000;
    expect(await signatureHeader(SECRET, BODY, NOW)).toBe(`t=${t},v1=${createHmac('sha256', SECRET).update(`${t}.${BODY}`).digest('hex')}`);
  });

  it.each<[string, (header: string) => [secret: string, body: string, header: string | null, at: Date], string | null]>([
    ['as sent: accepted', (h) => [SECRET, BODY, h, NOW], null],
    ['at the edge of the replay window: accepted', (h) => [SECRET, BODY, h, later(REPLAY_WINDOW_SECONDS)], null],
    ['a body changed by one character: refused', (h) => [SECRET, BODY.replace('10000', '10001'), h, NOW], 'signature does not match'],
    ['another secret: refused', (h) => [`${SECRET}x`, BODY, h, NOW], 'signature does not match'],
    ['the time changed (to pass the window): refused', (h) => [SECRET, BODY, h.replace(/t=\d+/, `t=${NOW.getTime() / 1000 + 1}`), NOW], 'signature does not match'],
    ['a signature cut short: refused', (h) => [SECRET, BODY, h.slice(0, -2), NOW], 'signature does not match'],
    ['replayed after the window: refused', (h) => [SECRET, BODY, h, later(REPLAY_WINDOW_SECONDS + 1)], `outside the ${REPLAY_WINDOW_SECONDS} s replay window`],
    ['no header: refused', () => [SECRET, BODY, null, NOW], 'no signature'],
    ['a header of another scheme: refused', () => [SECRET, BODY, 'sha256=abc', NOW], 'no signature'],
  ])('%s', async (_, alter, refusal) => {
    const verdict = await verifySignature(...alter(await signatureHeader(SECRET, BODY, NOW)));
    if (refusal === null) expect(verdict).toEqual({ ok: true });
    else expect(verdict.ok ? '' : verdict.reason).toContain(refusal);
  });
});
