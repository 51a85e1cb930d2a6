import { describe, expect, it } from 'vitest';
import { GENERIC_TLS_REMEDY, tlsFailureOfError, tlsFailureOfStatus, tlsSentence } from './tlsFailure.ts';

/** What Node's fetch (undici) throws for a server whose chain it cannot verify, as measured (UPSTREAM.md, "TLS failures"). */
const undiciError = (code: string, message: string) => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(message), { code }) });

describe('a TLS failure', () => {
  it.each([
    { name: 'undici, leaf only (the intermediate not sent)', error: undiciError('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate'), tls: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE: unable to verify the first certificate' },
    { name: 'undici, self-signed', error: undiciError('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'), tls: 'DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate' },
    { name: 'undici, expired', error: undiciError('CERT_HAS_EXPIRED', 'certificate has expired'), tls: 'CERT_HAS_EXPIRED: certificate has expired' },
    { name: 'undici, wrong name', error: undiciError('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames"), tls: "ERR_TLS_CERT_ALTNAME_INVALID: Hostname/IP does not match certificate's altnames" },
    { name: "workerd's own text, were it passed on", error: new Error("TLS peer's certificate is not trusted; reason = unable to get local issuer certificate"), tls: "TLS peer's certificate is not trusted; reason = unable to get local issuer certificate" },
    { name: 'connection refused', error: undiciError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1'), tls: null },
    { name: 'a timeout', error: new DOMException('The operation was aborted due to timeout', 'TimeoutError'), tls: null },
    { name: "workerd's opaque internal error (what `wrangler dev` shows the Worker)", error: new Error('internal error; reference = g8o4g382busilnhfdi4a9cab'), tls: null },
    { name: 'not an error', error: 'fetch failed', tls: null },
  ])('$name → $tls', ({ error, tls }) => {
    expect(tlsFailureOfError(error)).toBe(tls);
  });

  it.each([
    [526, 'HTTP 526, invalid SSL certificate'],
    [525, 'HTTP 525, SSL handshake failed'],
    [502, null],
    [503, null],
    [200, null],
  ])('status %i → %s', (status, tls) => {
    expect(tlsFailureOfStatus(status)).toBe(tls);
  });

  it("is one sentence: the cause, then the adapter's remedy or the generic one", () => {
    expect(tlsSentence('HTTP 526, invalid SSL certificate')).toBe(`TLS: the server's certificate chain could not be verified (HTTP 526, invalid SSL certificate). ${GENERIC_TLS_REMEDY}`);
    expect(tlsSentence('x', 'Set PCS_ENABLED=false.')).toBe("TLS: the server's certificate chain could not be verified (x). Set PCS_ENABLED=false.");
    expect(GENERIC_TLS_REMEDY).toMatch(/Custom Origin Trust Store.*cots_on_external_fetch.*POST \/admin\/pause/);
  });
});
