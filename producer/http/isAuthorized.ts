import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether the request carries `Authorization: Bearer <token>`. Compared in constant time over
 * fixed-length digests, so neither the answer's timing nor a length check tells how much matched.
 */
export function isAuthorized(header: string | null, token: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(header ?? ''), digest(`Bearer ${token}`));
}
