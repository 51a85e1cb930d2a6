import type { Release } from '../ocds/releaseSchema.ts';
import { compact } from './compact.ts';
import { cleanText, idText } from './text.ts';

/** The framework a call-off is awarded under: its procurement (ocid) on the same service. */
export interface MappedFramework {
  ocid: string;
  title?: string;
  /** Where the service publishes the framework's releases. */
  url?: string;
  /** The framework's lots the call-off is under, when the release says. */
  relatedLots?: string[];
}

/**
 * `framework`: the release's `relatedProcesses` entry with relationship `framework` and an ocid
 * (67 of 1,628 real FTS releases: `{"relationship": ["framework"], "scheme": "ocid", "identifier":
 * "ocds-h6vhtk-06085f", "uri": "…/ocdsReleasePackages/ocds-h6vhtk-06085f"}`). The first such, or
 * undefined.
 */
export function frameworkOf(release: Release): MappedFramework | undefined {
  for (const process of release.relatedProcesses ?? []) {
    if (!process.relationship?.includes('framework')) continue;
    const ocid = process.scheme === 'ocid' ? idText(process.identifier) : undefined;
    if (ocid === undefined) continue;
    const relatedLots = (process.relatedLots ?? []).map(idText).filter((lot) => lot !== undefined);
    return { ocid, ...compact({ title: cleanText(process.title), url: cleanText(process.uri), relatedLots }) };
  }
  return undefined;
}
