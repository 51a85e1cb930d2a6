/**
 * A request that failed because the origin's certificate could not be verified (an incomplete
 * chain, an issuer the runtime does not trust, an expired or misnamed certificate) or the TLS
 * handshake failed. Asking again does not help until someone changes the certificate or the trust
 * store, so the source is held for TLS_PROBE_MS at a time, not probed as a service that is down.
 * How each runtime shows it, with the evidence: shared/sources/UPSTREAM.md, "TLS failures".
 */

/** How long a source is held after a TLS failure before one request probes it again (an operator's resume probes at once). */
export const TLS_PROBE_MS = 60 * 60_000;

/** What to do about it, for a source whose adapter gives no `tlsRemedy` of its own. */
export const GENERIC_TLS_REMEDY =
  "Remedy (README, \"An upstream's certificate\"): add the issuing CA to the account's Custom Origin Trust Store and deploy with the cots_on_external_fetch compatibility flag, or hold the source with POST /admin/pause.";

/**
 * Cloudflare answers a Worker's subrequest to an origin it cannot verify with a response of its
 * own: 526 (invalid SSL certificate) or 525 (SSL handshake failed).
 */
const TLS_STATUSES: Record<number, string> = { 526: 'HTTP 526, invalid SSL certificate', 525: 'HTTP 525, SSL handshake failed' };

/** Node's codes for a certificate it will not accept and a handshake that failed (undici puts them on the error's `cause`). */
const TLS_CODE = /^(UNABLE_TO_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|ERR_TLS_|ERR_SSL_|HOSTNAME_MISMATCH$)/;
/** workerd's own text, should a runtime pass it on ("TLS peer's certificate is not trusted"). */
const TLS_TEXT = /certificate is not trusted|certificate verify failed|unable to verify the first certificate/i;

/** The TLS failure an answer's status means, or null. */
export function tlsFailureOfStatus(status: number): string | null {
  return TLS_STATUSES[status] ?? null;
}

/** The TLS failure a thrown fetch error carries (itself or a cause down its chain), or null. */
export function tlsFailureOfError(error: unknown): string | null {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && TLS_CODE.test(code)) return typeof message === 'string' && message ? `${code}: ${message}` : code;
    if (typeof message === 'string' && TLS_TEXT.test(message)) return message;
  }
  return null;
}

/** The one sentence the status page, `npm run status` and the doctor give: the cause, then the remedy. */
export function tlsSentence(detail: string, remedy: string = GENERIC_TLS_REMEDY): string {
  return `TLS: the server's certificate chain could not be verified (${detail}). ${remedy}`;
}
