import { describe, expect, it } from 'vitest';
import { parseRelease } from './releaseSchema.ts';
import { repairShapes, type ShapeRepair } from './repairShapes.ts';
import { ReleaseSchema } from './releaseSchema.ts';

const base = { id: '000001-2021', ocid: 'ocds-h6vhtk-000001', date: '2021-02-01T10:00:00Z' };

describe('repairShapes: each rule, one row', () => {
  const rows: { name: string; release: Record<string, unknown>; path: string; read: unknown; rule: ShapeRepair['rule'] }[] = [
    {
      name: 'an object keyed by position is the list of its values, in key order',
      release: { ...base, tender: { items: [{ id: '1', deliveryAddresses: { 2: { region: 'UKC' }, 1: { region: 'UK' } } }] } },
      path: 'tender.items.0.deliveryAddresses',
      read: [{ region: 'UK' }, { region: 'UKC' }],
      rule: 'keyedByPosition',
    },
    {
      name: 'a single object where a list belongs is a list of one',
      release: { ...base, parties: { id: 'p1', name: 'A Council', roles: ['buyer'] } },
      path: 'parties',
      read: [{ id: 'p1', name: 'A Council', roles: ['buyer'] }],
      rule: 'singleObject',
    },
    {
      name: 'null items in a list are no items',
      release: { ...base, awards: [null, { id: '1' }] },
      path: 'awards',
      read: [{ id: '1' }],
      rule: 'nullItems',
    },
  ];

  it.each(rows)('$name', ({ release, path, read, rule }) => {
    const before = structuredClone(release);
    const repairs: ShapeRepair[] = [];
    const repaired = repairShapes(ReleaseSchema, release, repairs) as Record<string, unknown>;
    expect(repairs).toEqual([{ path, rule }]);
    expect(path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown>)[key], repaired)).toEqual(read);
    // The value given is never changed.
    expect(release).toEqual(before);
    // The schema refused it as published, and takes it repaired.
    expect(parseRelease(release)).toMatchObject({ ok: true, repairs: [{ path, rule }] });
  });

  it('leaves a well-formed release as the very same object, with no repairs', () => {
    const release = { ...base, parties: [{ id: 'p1' }], tender: { items: [{ deliveryAddresses: [{ region: 'UK' }] }] } };
    const repairs: ShapeRepair[] = [];
    expect(repairShapes(ReleaseSchema, release, repairs)).toBe(release);
    expect(repairs).toEqual([]);
  });

  it('a null list stays null (the schema reads it as none) and unknown fields are not looked at', () => {
    const release = { ...base, awards: null, buyerID: { 1: 'x' } };
    expect(repairShapes(ReleaseSchema, release)).toBe(release);
  });

  it('what is truly unreadable is still refused, with its reason', () => {
    const result = parseRelease({ ...base, tender: { items: 'three chairs' } });
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('tender.items') });
  });
});
