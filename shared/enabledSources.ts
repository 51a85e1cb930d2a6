import type { Config } from './config.ts';
import type { SourceAdapter } from './sources/source.ts';
import type { SourceName } from './sources/sourceName.ts';
import { sources } from './sources/sources.ts';

/** The sources the pipeline copies under this config: each registered one not switched off (`PCS_ENABLED=false`). */
export function enabledSources(config: Config): SourceAdapter<SourceName>[] {
  return Object.values(sources).filter((source: SourceAdapter<SourceName>) => source.enabled?.(config) ?? true);
}

