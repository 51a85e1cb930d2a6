/**
 * What kind of notice a release is, for serving "a real release of every kind" and for checking
 * the simulator serves them all.
 */
import type { SourceName } from '../../shared/sources/sourceName.ts';

type Json = Record<string, unknown>;
const objects = (value: unknown): Json[] => (Array.isArray(value) ? value.filter((v): v is Json => !!v && typeof v === 'object') : []);

/** Every document of a release, where OCDS puts them. */
function documentsOf(release: Json): Json[] {
  const tender = (release.tender ?? {}) as Json;
  return [
    ...objects((release.planning as Json | undefined)?.documents),
    ...objects(tender.documents),
    ...objects(release.awards).flatMap((award) => objects(award.documents)),
    ...objects(release.contracts).flatMap((contract) => objects(contract.documents)),
  ];
}

/**
 * What kind of notice a release is. FTS: the Procurement Act notice type (UK1–UK17) of its own
 * document (id = notice id, or the link to /Notice/<id>), else of its first typed document; a
 * notice under the 2015 regulations has none, and is told by its legal basis (a CELEX directive).
 * CF: its first tag.
 */
export function kindOf(source: SourceName, release: Json): string {
  if (source === 'CONTRACTS_FINDER') return String((release.tag as string[] | undefined)?.[0]);
  const documents = documentsOf(release);
  const own = documents.find((d) => d.id === release.id || String(d.url ?? '').includes(`/Notice/${String(release.id)}`));
  const type = [own, ...documents].find((d) => typeof d?.noticeType === 'string')?.noticeType;
  if (typeof type === 'string') return type;
  const basis = ((release.tender as Json | undefined)?.legalBasis as Json | undefined)?.id;
  return basis === undefined ? 'no type, no legal basis' : `legal basis ${String(basis)}`;
}


/** A release's kind and its tags: the simulator's unit of "one of each kind". */
export function kindAndTags(source: SourceName, release: Json): string {
  return `${kindOf(source, release)} ${((release.tag as string[] | undefined) ?? []).join('+')}`;
}
