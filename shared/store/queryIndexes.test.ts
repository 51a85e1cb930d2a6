import { describe, expect, it } from 'vitest';
import type { Document } from 'mongodb';
import type { ProjectIndex } from './db.ts';
import { openTenders, PRODUCT_INDEXES, PRODUCT_QUERIES, type FindQuery } from './queryIndexes.ts';

/**
 * MongoDB's ESR guideline, checked over the module's data: an index serves a query with no
 * in-memory sort and tight bounds when its keys are the query's equality fields (any order), then
 * its sort fields (in order, every direction as the sort's or every one reversed), then its range
 * fields, and nothing else. A `$or` is checked branch by branch, each against its own index.
 */
const RANGE_OPERATORS = new Set(['$gt', '$gte', '$lt', '$lte', '$regex']);

function esrProblems({ filter, sort }: FindQuery, indexes: readonly ProjectIndex[]): string[] {
  const { $or, ...rest } = filter as Document;
  const branches: Document[] = $or ? ($or as Document[]).map((branch) => ({ ...rest, ...branch })) : [rest];
  if (branches.length !== indexes.length) return [`${branches.length} branch(es), ${indexes.length} index(es)`];
  return branches.flatMap((branch, i) => branchProblems(branch, sort, indexes[i]).map((problem) => `${indexes[i].name}: ${problem}`));
}

function branchProblems(filter: Document, sort: Record<string, 1 | -1>, index: ProjectIndex): string[] {
  const equality: string[] = [];
  const range: string[] = [];
  for (const [field, condition] of Object.entries(filter)) {
    const operators = condition !== null && typeof condition === 'object' && !(condition instanceof Date) ? Object.keys(condition) : [];
    if (operators.length === 0) equality.push(field);
    else if (operators.every((op) => RANGE_OPERATORS.has(op))) range.push(field);
    else return [`${field}: operators ${operators.join(', ')} are neither equality nor range`];
  }
  const keys = Object.keys(index.key);
  const sorted = Object.keys(sort);
  const problems: string[] = [];
  const head = keys.slice(0, equality.length);
  if ([...head].sort().join() !== [...equality].sort().join()) problems.push(`equality fields ${equality.join(', ')} must lead, the index leads with ${head.join(', ')}`);
  const middle = keys.slice(equality.length, equality.length + sorted.length);
  if (middle.join() !== sorted.join()) problems.push(`sort ${sorted.join(', ')} must follow the equality fields, the index has ${middle.join(', ')}`);
  const flip = sorted.length > 0 && index.key[sorted[0]] !== sort[sorted[0]];
  if (sorted.some((field) => index.key[field] !== (flip ? -sort[field] : sort[field]))) problems.push('sort directions differ from the index, and not all reversed');
  const tail = keys.slice(equality.length + sorted.length);
  const ranges = range.filter((field) => !sorted.includes(field));
  if ([...tail].sort().join() !== [...ranges].sort().join()) problems.push(`range fields ${ranges.join(', ') || '(none)'} must close the index, it has ${tail.join(', ') || '(nothing)'}`);
  return problems;
}

describe('the product queries and their indexes', () => {
  it.each(PRODUCT_QUERIES.map((query) => [query.name, query] as const))('%s: its index keys are its equality, sort and range fields in ESR order', (_, query) => {
    expect(esrProblems(query.example, query.indexes)).toEqual([]);
  });

  it('the check finds a key out of ESR order, a field the index lacks, an index too many', () => {
    const index = (key: ProjectIndex['key']): ProjectIndex => ({ collection: 'contracts', name: 'i', key });
    const query: FindQuery = { filter: { status: 'OPEN', deadlineDate: { $gt: new Date(0) }, cpvCodes: { $regex: '^72' } }, sort: { deadlineDate: 1 } };
    expect(esrProblems(query, [index({ status: 1, deadlineDate: 1, cpvCodes: 1 })])).toEqual([]);
    expect(esrProblems(query, [index({ status: 1, deadlineDate: -1, cpvCodes: 1 })])).toEqual([]);
    expect(esrProblems(query, [index({ status: 1, cpvCodes: 1, deadlineDate: 1 })])).toEqual([
      'i: sort deadlineDate must follow the equality fields, the index has cpvCodes',
      'i: range fields cpvCodes must close the index, it has deadlineDate',
    ]);
    expect(esrProblems(query, [index({ status: 1, deadlineDate: 1 })])).toEqual(['i: range fields cpvCodes must close the index, it has (nothing)']);
    expect(esrProblems({ ...query, sort: { deadlineDate: 1, _id: -1 } }, [index({ status: 1, deadlineDate: 1, _id: 1, cpvCodes: 1 })])).toEqual([
      'i: sort directions differ from the index, and not all reversed',
    ]);
    expect(esrProblems(query, [index({ status: 1 }), index({ status: 1 })])).toEqual(['1 branch(es), 2 index(es)']);
  });

  it('every index is named query_… and serves a query; no two share a name or a key', () => {
    expect(PRODUCT_INDEXES.every((index) => index.name.startsWith('query_') && index.collection === 'contracts')).toBe(true);
    expect(new Set(PRODUCT_INDEXES.map((index) => index.name)).size).toBe(PRODUCT_INDEXES.length);
    expect(new Set(PRODUCT_INDEXES.map((index) => JSON.stringify(index.key))).size).toBe(PRODUCT_INDEXES.length);
  });

  it('a CPV prefix is digits: anything else is refused, not run as a pattern', () => {
    const find = (cpvPrefix: string) => openTenders.find({ status: 'OPEN', closingAfter: new Date(0), cpvPrefix });
    expect(find('722').filter.cpvCodes).toEqual({ $regex: '^722' });
    expect(() => find('.*')).toThrow('cpvPrefix must be 1-8 digits, not ".*"');
    expect(() => find('')).toThrow(RangeError);
    expect(openTenders.find({ status: 'OPEN', closingAfter: new Date(0) }).filter).not.toHaveProperty('cpvCodes');
  });
});
