import { describe, expect, it } from 'vitest';
import { compileReleases } from './ocdsMerge.ts';

describe('compileReleases (OCDS merge)', () => {
  it.each<[string, unknown[], unknown]>([
    ['a later release overrides field by field', [{ tender: { title: 'A', value: { amount: 10 } } }, { tender: { value: { amount: 20 } } }], { tender: { title: 'A', value: { amount: 20 } } }],
    ['arrays of objects with ids merge by id', [{ awards: [{ id: '1', status: 'pending' }, { id: '2', value: 5 }] }, { awards: [{ id: '1', status: 'active' }, { id: '3' }] }], { awards: [{ id: '1', status: 'active' }, { id: '2', value: 5 }, { id: '3' }] }],
    ['other arrays are replaced whole', [{ tender: { items: ['a', 'b'] } }, { tender: { items: ['c'] } }], { tender: { items: ['c'] } }],
    ['null removes a field', [{ tender: { title: 'A', status: 'active' } }, { tender: { status: null } }], { tender: { title: 'A' } }],
    ['release id, date and tag are left out', [{ id: 'r1', date: 'd1', tag: ['tender'], ocid: 'o' }, { id: 'r2', date: 'd2', tag: ['award'], ocid: 'o' }], { ocid: 'o' }],
  ])('%s', (_, releases, expected) => {
    expect(compileReleases(releases)).toEqual({ ...(expected as object), tag: ['compiled'] });
  });

  it('does not change the releases it merges', () => {
    const first = { awards: [{ id: '1', suppliers: [{ name: 'A' }] }] };
    const copy = structuredClone(first);
    compileReleases([first, { awards: [{ id: '1', suppliers: [{ name: 'B' }] }] }]);
    expect(first).toEqual(copy);
  });
});
