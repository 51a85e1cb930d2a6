import { describe, expect, it } from 'vitest';
import type { MappedBuyer } from '../../shared/mapping/mappedRelease.ts';
import type { RegistryKey } from '../../shared/store/buyerKeys.ts';
import { mergesForTakenKeys, resolveBuyers, survivorOf, type NewKey } from './resolveBuyers.ts';

const buyer = (orgId: string, name: string, identifiers?: string[]): MappedBuyer => ({ orgId, name, contacts: [], ...(identifiers && { identifiers }) });
const stored = (...keys: [key: string, registryId: string, schemes?: string[]][]) =>
  new Map<string, RegistryKey>(keys.map(([key, registryId, schemes = []]) => [key, { registryId, schemes }]));

describe('resolveBuyers', () => {
  it.each([
    {
      name: 'a buyer never seen: a new entry under its own orgId, every key registered',
      stored: stored(),
      buyers: [buyer('GB-LAE-DUR', 'Durham County Council')],
      registryIds: { 'GB-LAE-DUR': 'GB-LAE-DUR' },
      newKeys: [['GB-LAE-DUR', 'GB-LAE-DUR', 'new'], ['name-durham-county-council', 'GB-LAE-DUR', 'new']],
    },
    {
      name: 'the same id under another spelling of the name: joined by identifier, the spelling adds no key (same normalised name)',
      stored: stored(['GB-LAE-DUR', 'GB-LAE-DUR', ['GB-LAE']], ['name-durham-county-council', 'GB-LAE-DUR', ['GB-LAE']]),
      buyers: [buyer('GB-LAE-DUR', 'DURHAM COUNTY COUNCIL')],
      registryIds: { 'GB-LAE-DUR': 'GB-LAE-DUR' },
      newKeys: [],
    },
    {
      name: 'a name slug (CF without identifier) of a registered name: joined by name',
      stored: stored(['GB-LAE-DUR', 'GB-LAE-DUR', ['GB-LAE']], ['name-durham-county-council', 'GB-LAE-DUR', ['GB-LAE']]),
      buyers: [buyer('name-durham-county-council', 'DURHAM COUNTY COUNCIL')],
      registryIds: { 'name-durham-county-council': 'GB-LAE-DUR' },
      newKeys: [],
    },
    {
      name: 'an identifier first seen after the name slug: joined by name, under the slug entry',
      stored: stored(['name-uk-research-and-innovation', 'name-uk-research-and-innovation']),
      buyers: [buyer('GB-SRS-sid4gov.cabinetoffice.gov.uk/Zj5uFppq', 'UK RESEARCH & INNOVATION')],
      registryIds: { 'GB-SRS-sid4gov.cabinetoffice.gov.uk/Zj5uFppq': 'name-uk-research-and-innovation' },
      newKeys: [['GB-SRS-sid4gov.cabinetoffice.gov.uk/Zj5uFppq', 'name-uk-research-and-innovation', 'name']],
    },
    {
      name: 'additionalIdentifiers join schemes: a known charity number brings a new company number in',
      stored: stored(['GB-CHC-1000', 'GB-CHC-1000', ['GB-CHC']], ['name-helping-hands', 'GB-CHC-1000', ['GB-CHC']]),
      buyers: [buyer('GB-COH-0042', 'Helping Hands Ltd', ['GB-CHC-1000'])],
      registryIds: { 'GB-COH-0042': 'GB-CHC-1000' },
      newKeys: [['GB-COH-0042', 'GB-CHC-1000', 'identifier']],
    },
    {
      name: '"Ltd" / "Limited", "The", "&" / "and" and case: one name',
      stored: stored(['name-acme-and-sons-ltd', 'name-acme-and-sons-ltd'], ['name-acme-and-sons', 'name-acme-and-sons-ltd']),
      buyers: [buyer('name-the-acme-sons-limited', 'THE ACME & SONS LIMITED')],
      registryIds: { 'name-the-acme-sons-limited': 'name-acme-and-sons-ltd' },
      newKeys: [['name-the-acme-sons-limited', 'name-acme-and-sons-ltd', 'name']],
    },
    {
      name: 'one name, another id of the same scheme: two organisations (two schools, two URNs), the name is left to the first',
      stored: stored(['GB-EDU-100', 'GB-EDU-100', ['GB-EDU']], ['name-st-marys-primary-school', 'GB-EDU-100', ['GB-EDU']]),
      buyers: [buyer('GB-EDU-200', "St Mary's Primary School")],
      registryIds: { 'GB-EDU-200': 'GB-EDU-200' },
      newKeys: [['GB-EDU-200', 'GB-EDU-200', 'new']],
    },
    {
      name: 'one batch, the name slug first: the identifier names the entry whatever the order',
      stored: stored(),
      buyers: [buyer('name-durham-county-council', 'DURHAM COUNTY COUNCIL'), buyer('GB-LAE-DUR', 'Durham County Council')],
      registryIds: { 'GB-LAE-DUR': 'GB-LAE-DUR', 'name-durham-county-council': 'GB-LAE-DUR' },
      newKeys: [['GB-LAE-DUR', 'GB-LAE-DUR', 'new'], ['name-durham-county-council', 'GB-LAE-DUR', 'new']],
    },
    {
      name: 'one batch, an id joins by name, then a third variant by that id',
      stored: stored(['name-durham-county-council', 'name-durham-county-council']),
      buyers: [buyer('GB-PPON-DURH-0001-AAAA', 'Durham Council', ['GB-LAE-DUR']), buyer('GB-LAE-DUR', 'The Durham County Council')],
      registryIds: { 'GB-LAE-DUR': 'name-durham-county-council', 'GB-PPON-DURH-0001-AAAA': 'name-durham-county-council' },
      newKeys: [
        ['GB-LAE-DUR', 'name-durham-county-council', 'name'],
        ['GB-PPON-DURH-0001-AAAA', 'name-durham-county-council', 'identifier'],
        ['name-durham-council', 'name-durham-county-council', 'identifier'],
      ],
    },
  ])('$name', ({ stored, buyers, registryIds, newKeys }) => {
    const resolution = resolveBuyers(buyers, stored);
    expect(Object.fromEntries(resolution.registryIds)).toEqual(registryIds);
    expect(resolution.newKeys.map((k) => [k.key, k.registryId, k.rule])).toEqual(newKeys);
    expect(resolution.merges).toEqual([]);
  });

  // Two entries for one organisation: registered apart (or by two writers at once, each winning some keys).
  const DURHAM_APART = stored(['GB-LAE-DUR', 'GB-LAE-DUR', ['GB-LAE']], ['GB-PPON-DURH', 'GB-PPON-DURH', ['GB-PPON']], ['name-durham-cc', 'GB-PPON-DURH', ['GB-PPON']]);
  it.each([
    {
      name: 'one buyer\'s identifiers point at two entries: they merge into the smaller id, and its contracts go there',
      stored: DURHAM_APART,
      buyers: [buyer('GB-PPON-DURH', 'Durham CC', ['GB-LAE-DUR'])],
      registryIds: { 'GB-PPON-DURH': 'GB-LAE-DUR' },
      merges: [['GB-PPON-DURH', 'GB-LAE-DUR', 'GB-PPON-DURH']],
    },
    {
      name: 'an entry named by a scheme identifier survives one named by a name slug',
      stored: stored(['GB-SRS-ukri', 'name-uk-research-and-innovation'], ['GB-COH-0001', 'GB-COH-0001', ['GB-COH']]),
      buyers: [buyer('GB-SRS-ukri', 'UKRI', ['GB-COH-0001'])],
      registryIds: { 'GB-SRS-ukri': 'GB-COH-0001' },
      newKeys: [['name-ukri', 'GB-COH-0001']],
      merges: [['name-uk-research-and-innovation', 'GB-COH-0001', 'GB-SRS-ukri']],
    },
    {
      name: 'a buyer of the batch resolved to the merged entry before the merge was found goes to the survivor, with its new key',
      stored: DURHAM_APART,
      buyers: [buyer('GB-COH-0009', 'Durham Trading', ['GB-PPON-DURH']), buyer('GB-LAE-DUR', 'Durham County Council', ['GB-PPON-DURH'])],
      registryIds: { 'GB-COH-0009': 'GB-LAE-DUR', 'GB-LAE-DUR': 'GB-LAE-DUR' },
      newKeys: [['GB-COH-0009', 'GB-LAE-DUR'], ['name-durham-trading', 'GB-LAE-DUR'], ['name-durham-county-council', 'GB-LAE-DUR']],
      merges: [['GB-PPON-DURH', 'GB-LAE-DUR', 'GB-PPON-DURH']],
    },
    {
      name: 'merges in a chain: each merge names the last survivor',
      stored: stored(['GB-LAE-DUR', 'GB-LAE-DUR'], ['GB-PPON-DURH', 'GB-PPON-DURH'], ['GB-COH-0001', 'GB-COH-0001']),
      buyers: [buyer('GB-LAE-DUR', 'Durham County Council', ['GB-PPON-DURH']), buyer('GB-PPON-DURH', 'Durham CC', ['GB-COH-0001'])],
      registryIds: { 'GB-LAE-DUR': 'GB-COH-0001', 'GB-PPON-DURH': 'GB-COH-0001' },
      newKeys: [['name-durham-county-council', 'GB-COH-0001'], ['name-durham-cc', 'GB-COH-0001']],
      merges: [['GB-PPON-DURH', 'GB-COH-0001', 'GB-PPON-DURH'], ['GB-LAE-DUR', 'GB-COH-0001', 'GB-PPON-DURH']],
    },
    {
      name: 'a name slug pointing at another entry merges nothing (two schools of one name): the first id decides, as before',
      stored: stored(['name-st-marys-primary-school', 'GB-EDU-100', ['GB-EDU']], ['GB-EDU-200', 'GB-EDU-200', ['GB-EDU']]),
      buyers: [buyer('name-st-marys-primary-school', "St Mary's Primary School", ['GB-EDU-200'])],
      registryIds: { 'name-st-marys-primary-school': 'GB-EDU-100' },
      merges: [],
    },
    {
      name: 'identifiers already on one entry: no merge',
      stored: DURHAM_APART,
      buyers: [buyer('GB-PPON-DURH', 'Durham CC')],
      registryIds: { 'GB-PPON-DURH': 'GB-PPON-DURH' },
      merges: [],
    },
  ])('$name', ({ stored, buyers, registryIds, newKeys = [], merges }) => {
    const resolution = resolveBuyers(buyers, stored);
    expect(Object.fromEntries(resolution.registryIds)).toEqual(registryIds);
    expect(resolution.newKeys.map((k) => [k.key, k.registryId])).toEqual(newKeys);
    expect(resolution.merges).toEqual(merges.map(([from, to, key]) => ({ from, to, rule: 'identifier', key })));
  });

  it.each([
    { ids: ['GB-PPON-DURH', 'GB-LAE-DUR'], survivor: 'GB-LAE-DUR' },
    { ids: ['name-aaa', 'GB-ZZ-9'], survivor: 'GB-ZZ-9' },
    // An orgId of a scheme the registry does not read (`ABC-1`) sorts first, but is not named by a scheme identifier.
    { ids: ['ABC-1', 'GB-ZZ-9'], survivor: 'GB-ZZ-9' },
    { ids: ['name-b', 'name-a'], survivor: 'name-a' },
  ])('survivorOf $ids is $survivor', ({ ids, survivor }) => {
    expect(survivorOf(ids)).toBe(survivor);
    expect(survivorOf([...ids].reverse())).toBe(survivor);
  });

  /** A key the batch meant for `registryId`, seen with a buyer of these schemes. */
  const meant = (key: string, registryId: string, schemes: string[] = []): NewKey => ({ key, registryId, schemes, rule: 'new', name: key });
  it.each([
    {
      name: 'a name another writer registered for its own new entry at the same moment: the two entries merge into the smaller id',
      taken: [meant('name-buyer-x', 'name-the-buyer-x')],
      stored: stored(['name-buyer-x', 'name-buyer-x-ltd']),
      merges: [['name-the-buyer-x', 'name-buyer-x-ltd', 'name', 'name-buyer-x']],
    },
    {
      name: 'the same, the batch holding the survivor: the other writer\'s entry merges into it',
      taken: [meant('name-buyer-x', 'name-buyer-x-ltd')],
      stored: stored(['name-buyer-x', 'name-the-buyer-x']),
      merges: [['name-the-buyer-x', 'name-buyer-x-ltd', 'name', 'name-buyer-x']],
    },
    {
      name: 'an identifier taken for another entry: merged by identifier, into the entry a scheme id names',
      taken: [meant('GB-CHC-1000', 'name-helping-hands', ['GB-CHC']), meant('name-helping-hands', 'name-helping-hands', ['GB-CHC'])],
      stored: stored(['GB-CHC-1000', 'GB-COH-0042', ['GB-COH', 'GB-CHC']], ['name-helping-hands', 'GB-COH-0042', ['GB-COH', 'GB-CHC']]),
      merges: [['name-helping-hands', 'GB-COH-0042', 'identifier', 'GB-CHC-1000']],
    },
    {
      name: 'a name registered by an entry with another id of the same scheme (two schools of one name): no merge',
      taken: [meant('name-st-marys-school', 'GB-EDU-100', ['GB-EDU'])],
      stored: stored(['name-st-marys-school', 'GB-EDU-200', ['GB-EDU']]),
      merges: [],
    },
    {
      name: 'keys registered for the same entry (its own earlier run, or the same orgId): no merge',
      taken: [meant('GB-LAE-DUR', 'GB-LAE-DUR', ['GB-LAE'])],
      stored: stored(['GB-LAE-DUR', 'GB-LAE-DUR', ['GB-LAE']]),
      merges: [],
    },
  ])('mergesForTakenKeys: $name', ({ taken, stored, merges }) => {
    expect(mergesForTakenKeys(taken, stored)).toEqual(merges.map(([from, to, rule, key]) => ({ from, to, rule, key })));
  });

  it('records the name and the schemes of the buyer each new key was seen with', () => {
    const [first] = resolveBuyers([buyer('GB-COH-0042', 'Helping Hands Ltd', ['GB-CHC-1000'])], stored()).newKeys;
    expect(first).toEqual({ key: 'GB-COH-0042', registryId: 'GB-COH-0042', rule: 'new', name: 'Helping Hands Ltd', schemes: ['GB-COH', 'GB-CHC'] });
  });
});

describe('buyers known by name within their postcode district (Public Contracts Scotland)', () => {
  const inDistrict = (orgId: string, name: string, postalCode: string): MappedBuyer => ({ ...buyer(orgId, name), postalCode });
  const keyIn = (registryId: string, district: string): RegistryKey => ({ registryId, schemes: [], district });
  const school = 'St Mary’s Primary School';

  it.each([
    {
      name: 'one name in two districts, in one batch: two entries',
      stored: new Map<string, RegistryKey>(),
      buyers: [inDistrict('name-st-marys-primary-school@g21', school, 'G21 4LS'), inDistrict('name-st-marys-primary-school@ka3', school, 'KA3 7BU')],
      registryIds: { 'name-st-marys-primary-school@g21': 'name-st-marys-primary-school@g21', 'name-st-marys-primary-school@ka3': 'name-st-marys-primary-school@ka3' },
    },
    {
      name: 'its name registered by another source\'s buyer of another district: not joined',
      stored: new Map([['name-st-marys-primary-school', keyIn('name-st-marys-primary-school', 'ka3')]]),
      buyers: [inDistrict('name-st-marys-primary-school@g21', school, 'G21 4LS')],
      registryIds: { 'name-st-marys-primary-school@g21': 'name-st-marys-primary-school@g21' },
    },
    {
      name: 'another source\'s buyer of that name in another district (its orgId the bare slug): not joined',
      stored: new Map([['name-st-marys-primary-school', keyIn('name-st-marys-primary-school@g21', 'g21')]]),
      buyers: [inDistrict('name-st-marys-primary-school', school, 'KA3 7BU')],
      registryIds: { 'name-st-marys-primary-school': 'name-st-marys-primary-school' },
    },
    {
      name: 'the same council on both services, one district: joined by name',
      stored: new Map([['name-city-of-edinburgh-council', keyIn('name-city-of-edinburgh-council', 'eh8')]]),
      buyers: [inDistrict('name-the-city-of-edinburgh-council@eh8', 'The City of Edinburgh Council', 'EH8 8BG')],
      registryIds: { 'name-the-city-of-edinburgh-council@eh8': 'name-city-of-edinburgh-council' },
    },
    {
      name: 'a district unknown on one side: the name decides, as for the other sources',
      stored: new Map([['name-fife-council', { registryId: 'name-fife-council', schemes: [] }]]),
      buyers: [inDistrict('name-fife-council@ky7', 'Fife Council', 'KY7 5LT')],
      registryIds: { 'name-fife-council@ky7': 'name-fife-council' },
    },
    {
      name: 'neither known by name within a district: two districts join by name as before (one council, two offices)',
      stored: new Map([['name-birmingham-city-council', keyIn('name-birmingham-city-council', 'b4')]]),
      buyers: [inDistrict('name-birmingham-city-council', 'Birmingham City Council', 'B1 1BB')],
      registryIds: { 'name-birmingham-city-council': 'name-birmingham-city-council' },
    },
  ])('$name', ({ stored: keys, buyers, registryIds }) => {
    expect(Object.fromEntries(resolveBuyers(buyers, keys).registryIds)).toEqual(registryIds);
  });

  it('keys carry the district of the buyer that registered them', () => {
    const { newKeys } = resolveBuyers([inDistrict('name-ng-homes@g21', 'ng homes', 'G21 4LS')], new Map());
    expect(newKeys.map(({ key, district }) => [key, district])).toEqual([['name-ng-homes@g21', 'g21'], ['name-ng-homes', 'g21']]);
  });

  it('two writers registering one name in two districts at once owe no merge', () => {
    const taken: NewKey = { key: 'name-st-marys-primary-school', registryId: 'name-st-marys-primary-school@g21', schemes: [], district: 'g21', rule: 'new', name: school };
    const theirs = new Map([['name-st-marys-primary-school', keyIn('name-st-marys-primary-school@ka3', 'ka3')]]);
    expect(mergesForTakenKeys([taken], theirs)).toEqual([]);
    expect(mergesForTakenKeys([{ ...taken, district: 'ka3', registryId: 'name-st-marys-primary-school-x@ka3' }], theirs)).toHaveLength(1);
  });
});
