import type { NoticeContract } from '../../shared/store/records.ts';

/** The release a stored contract keeps (STORE_RAW object or gzip), or undefined (STORE_RAW=off). */
export async function rawReleaseOf(contract: Pick<NoticeContract, 'rawData' | 'rawDataGz'>): Promise<unknown> {
  if (contract.rawData !== undefined) return contract.rawData;
  if (contract.rawDataGz === undefined) return undefined;
  const text = new Blob([contract.rawDataGz.buffer]).stream().pipeThrough(new DecompressionStream('gzip'));
  return JSON.parse(await new Response(text).text());
}
