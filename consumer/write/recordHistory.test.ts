import { describe, expect, it } from 'vitest';
import { appendHistory, fieldChanges, HISTORY_LIMIT, valueAt } from './recordHistory.ts';

describe('fieldChanges', () => {
  it.each<[string, unknown, unknown, unknown]>([
    ['nothing changed', { tender: { value: { amount: 1 } } }, { tender: { value: { amount: 1 } } }, []],
    ['a value changed', { tender: { value: { amount: 1 } } }, { tender: { value: { amount: 2 } } }, [{ path: 'tender.value.amount', old: 1, new: 2 }]],
    ['a field added and one removed', { a: 1 }, { b: 2 }, [{ path: 'b', new: 2 }, { path: 'a', old: 1 }]],
    ['an item of an id list changed', { awards: [{ id: 'A', status: 'pending' }] }, { awards: [{ id: 'A', status: 'active' }, { id: 'B' }] }, [{ path: 'awards[A].status', old: 'pending', new: 'active' }, { path: 'awards[B]', new: { id: 'B' } }]],
    ['another array compared whole', { cpv: ['1'] }, { cpv: ['1', '2'] }, [{ path: 'cpv', old: ['1'], new: ['1', '2'] }]],
    ['key order does not count', { a: { x: 1, y: 2 } }, { a: { y: 2, x: 1 } }, []],
  ])('%s', (_, before, after, expected) => {
    expect(fieldChanges(before, after)).toEqual(expected);
  });
});

describe('appendHistory', () => {
  it('attributes changes to the notice and keeps the latest entries only', () => {
    const by = { noticeId: 'N-2', date: new Date('2026-01-02T00:00:00Z') };
    const stored = Array.from({ length: HISTORY_LIMIT }, (_, i) => ({ path: `p${i}`, new: i, noticeId: 'N-1', date: new Date('2026-01-01T00:00:00Z') }));
    const history = appendHistory(stored, [{ path: 'tender.value.amount', old: 1, new: 2 }], () => by);
    expect(history).toHaveLength(HISTORY_LIMIT);
    expect(history[0].path).toBe('p1');
    expect(history.at(-1)).toEqual({ path: 'tender.value.amount', old: 1, new: 2, ...by });
  });
});

describe('valueAt', () => {
  const release = { tender: { value: { amount: 5 } }, awards: [{ id: 'A.1', value: { amount: 7 } }, { id: 2, status: 'active' }] };
  it.each<[string, unknown]>([
    ['tender.value.amount', 5],
    ['awards[A.1].value.amount', 7],
    ['awards[2].status', 'active'],
    ['awards[3].status', undefined],
    ['tender.title', undefined],
  ])('%s', (path, expected) => {
    expect(valueAt(release, path)).toEqual(expected);
  });
});
