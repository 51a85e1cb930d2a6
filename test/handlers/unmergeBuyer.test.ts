import { beforeAll, describe, expect, it } from 'vitest';
import { storeWriteBatch } from '../../consumer/write/storeWriteBatch.ts';
import { readConfig } from '../../shared/config.ts';
import { keyDocId } from '../../shared/store/buyerKeys.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import worker from '../../worker.ts';
import { makeMappedRelease, makeWriteBatches } from '../factories.ts';
import { expectBuyersExact } from '../stack/expectations.ts';
import { handlerStack } from './handlerStack.ts';

/**
 * POST /admin/buyers/unmerge through the Worker's entry: closed without the admin token (401),
 * a bad body answered 400 naming the field, a split the registry cannot make answered 409, and a
 * good one undoes a name merge in MongoDB: keys, contracts, links and both counts, and later
 * releases under the split-off name go to the split-off buyer. Nothing changes before that.
 */
const TOKEN = 'a-long-enough-admin-token-5678';
const stack = handlerStack({ prefix: 'h_unmerge', vars: { ADMIN_TOKEN: TOKEN } });
const config = readConfig({ MONGODB_URI: 'mongodb://unused' });

const durham = (n: number, variant: 'id' | 'name') =>
  makeMappedRelease({
    contract: {
      noticeId: `${String(600_000 + n)}-2024`,
      source: variant === 'id' ? 'FIND_A_TENDER' : 'CONTRACTS_FINDER',
      buyerOrg: variant === 'id' ? 'GB-LAE-DUR' : 'name-durham-county-council',
      buyerName: variant === 'id' ? 'Durham County Council' : 'DURHAM COUNTY COUNCIL',
      releaseDate: new Date(Date.UTC(2024, 2, 1 + n)).toISOString(),
    },
  });

async function write(releases: ReturnType<typeof durham>[]): Promise<void> {
  for (const batch of makeWriteBatches(releases)) await storeWriteBatch(stack.db, config, batch);
}

const countOf = async (orgId: string) => (await stack.db.collection(COLLECTIONS.buyers).findOne({ _id: orgId as never }))?.contractCount;
const pointingAt = async (orgId: string) => (await stack.db.collection(COLLECTIONS.contracts).find({ buyerOrg: orgId }, { projection: { _id: 1 } }).sort({ _id: 1 }).toArray()).map((c) => c._id);

async function unmerge(body: string, authorization: string | undefined = `Bearer ${TOKEN}`): Promise<{ status: number; body: { error?: string } & Record<string, unknown> }> {
  const headers = { 'content-type': 'application/json', ...(authorization && { authorization }) };
  const response = await worker.fetch(new Request('http://worker/admin/buyers/unmerge', { method: 'POST', body, headers }), stack.env);
  const text = await response.text();
  expect(text).not.toContain(TOKEN);
  return { status: response.status, body: JSON.parse(text) };
}

beforeAll(async () => {
  await write([durham(1, 'id'), durham(2, 'id'), durham(3, 'id'), durham(4, 'name'), durham(5, 'name')]);
});

const GOOD = JSON.stringify({ registryId: 'GB-LAE-DUR', sourceIds: ['name-durham-county-council'] });

describe('POST /admin/buyers/unmerge', () => {
  it('starts from one buyer: the name slug joined the identifier by name', async () => {
    expect(await countOf('GB-LAE-DUR')).toBe(5);
    expect(await stack.db.collection(COLLECTIONS.buyers).countDocuments()).toBe(1);
  });

  it.each([
    { name: 'no Authorization', authorization: undefined },
    { name: 'a wrong token', authorization: 'Bearer not-the-admin-token-at-all' },
  ])('refuses $name (401) and changes nothing', async ({ authorization }) => {
    const before = await pointingAt('GB-LAE-DUR');
    const { status, body } = await unmerge(GOOD, authorization ?? '');
    expect(status).toBe(401);
    expect(body.error).toMatch(/Authorization: Bearer/);
    expect(await pointingAt('GB-LAE-DUR')).toEqual(before);
    expect(await countOf('GB-LAE-DUR')).toBe(5);
  });

  it.each([
    { name: 'a body that is not JSON', body: 'registryId=GB-LAE-DUR', field: /^body: not valid JSON/ },
    { name: 'no sourceIds', body: JSON.stringify({ registryId: 'GB-LAE-DUR' }), field: /^sourceIds: / },
    { name: 'an empty sourceIds', body: JSON.stringify({ registryId: 'GB-LAE-DUR', sourceIds: [] }), field: /^sourceIds: / },
    { name: 'a blank source id', body: JSON.stringify({ registryId: 'GB-LAE-DUR', sourceIds: [' '] }), field: /^sourceIds\.0: / },
    { name: 'a registryId that is not a string', body: JSON.stringify({ registryId: 7, sourceIds: ['name-durham-county-council'] }), field: /^registryId: / },
    { name: 'an unknown field', body: JSON.stringify({ registryId: 'GB-LAE-DUR', sourceIds: ['name-durham-county-council'], force: true }), field: /^force: / },
  ])('answers $name with 400 naming the field, and changes nothing', async ({ body, field }) => {
    const answer = await unmerge(body);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatch(field);
    expect(await countOf('GB-LAE-DUR')).toBe(5);
  });

  it.each([
    { name: 'a source id the buyer does not have', sourceIds: ['GB-LAE-XYZ'], reason: /not keys of buyer GB-LAE-DUR: GB-LAE-XYZ/ },
    { name: 'the buyer\'s own id first', sourceIds: ['GB-LAE-DUR'], reason: /unmerge the other source ids instead/ },
  ])('answers $name with 409 and changes nothing', async ({ sourceIds, reason }) => {
    const answer = await unmerge(JSON.stringify({ registryId: 'GB-LAE-DUR', sourceIds }));
    expect(answer.status).toBe(409);
    expect(answer.body.error).toMatch(reason);
    expect(await countOf('GB-LAE-DUR')).toBe(5);
  });

  it('undoes the merge in MongoDB: keys, contracts, links and counts; later releases of the name go to the split-off buyer', async () => {
    const answer = await unmerge(GOOD);
    expect(answer).toEqual({ status: 200, body: { ok: true, registryId: 'GB-LAE-DUR', unmergedTo: 'name-durham-county-council', sourceIds: ['name-durham-county-council'], contractsMoved: 2 } });

    expect(await pointingAt('name-durham-county-council')).toEqual(['CONTRACTS_FINDER:600004-2024', 'CONTRACTS_FINDER:600005-2024']);
    expect([await countOf('GB-LAE-DUR'), await countOf('name-durham-county-council')]).toEqual([3, 2]);
    expect(await stack.db.collection(COLLECTIONS.buyerLinks).findOne({ _id: keyDocId('name-durham-county-council') as never })).toMatchObject({
      registryId: 'name-durham-county-council',
      rule: 'unmerged',
      unmergedFrom: 'GB-LAE-DUR',
    });
    expect(await stack.db.collection(COLLECTIONS.buyers).findOne({ _id: 'GB-LAE-DUR' as never })).toMatchObject({ sourceIds: ['GB-LAE-DUR'], aliases: ['Durham County Council'] });
    expect(await stack.db.collection(COLLECTIONS.buyers).findOne({ _id: 'name-durham-county-council' as never })).toMatchObject({
      name: 'DURHAM COUNTY COUNCIL',
      sourceIds: ['name-durham-county-council'],
      sources: ['CONTRACTS_FINDER'],
      unmergedFrom: 'GB-LAE-DUR',
    });
    await expectBuyersExact(stack.db);

    // Sticky: the next releases of each spelling go where the unmerge put them; a repeat changes nothing.
    await write([durham(6, 'name'), durham(7, 'id')]);
    expect([await countOf('GB-LAE-DUR'), await countOf('name-durham-county-council')]).toEqual([4, 3]);
    expect((await unmerge(GOOD)).body).toMatchObject({ ok: true, contractsMoved: 3 });
    expect([await countOf('GB-LAE-DUR'), await countOf('name-durham-county-council')]).toEqual([4, 3]);
    await expectBuyersExact(stack.db);
  });
});
