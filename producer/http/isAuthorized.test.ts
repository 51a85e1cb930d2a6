import { describe, expect, it } from 'vitest';
import { isAuthorized } from './isAuthorized.ts';

const token = 'a-long-enough-admin-token-1234';

describe('isAuthorized', () => {
  it.each([
    { header: `Bearer ${token}`, ok: true },
    { header: null, ok: false },
    { header: '', ok: false },
    { header: token, ok: false },
    { header: `Bearer ${token}x`, ok: false },
    { header: `Bearer ${token.slice(0, -1)}`, ok: false },
    { header: `bearer ${token}`, ok: false },
  ])('$header → $ok', ({ header, ok }) => {
    expect(isAuthorized(header, token)).toBe(ok);
  });
});
