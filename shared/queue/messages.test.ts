import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { makeMappedRelease, makeWriteMessage } from '../../test/factories.ts';
import { WriteMessageSchema } from './messages.ts';

describe('WriteMessageSchema and joint buyers', () => {
  const jointBuyers = [{ orgId: 'GB-COH-03527628', name: 'HAFREN DYFRDWY CYFYNGEDIG', contacts: [] }];

  it('keeps a release\'s joint buyers', () => {
    const message = makeWriteMessage({ releases: [{ ...makeMappedRelease(), jointBuyers }] });
    const parsed = v.parse(WriteMessageSchema, JSON.parse(JSON.stringify(message)));
    expect(parsed.releases[0].jointBuyers).toEqual(jointBuyers);
  });

  it('accepts a message queued before joint buyers existed (none named)', () => {
    const message = makeWriteMessage({ releases: [makeMappedRelease()] });
    expect(message.releases[0]).not.toHaveProperty('jointBuyers');
    const parsed = v.parse(WriteMessageSchema, JSON.parse(JSON.stringify(message)));
    expect(parsed.releases[0]).not.toHaveProperty('jointBuyers');
    expect(parsed.releases[0].buyer?.orgId).toBe('GB-PPON-LEEDS');
  });

  it('refuses a joint buyer without an orgId', () => {
    const message = makeWriteMessage({ releases: [{ ...makeMappedRelease(), jointBuyers: [{ orgId: '', name: 'X', contacts: [] }] }] });
    expect(v.safeParse(WriteMessageSchema, message).success).toBe(false);
  });
});
