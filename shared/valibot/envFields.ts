import * as v from 'valibot';

/** Environment variables arrive as strings: the shapes the config and the source adapters read them in. */

/** A base URL, without a trailing slash. */
export const url = v.pipe(v.string(), v.url(), v.transform((s) => s.replace(/\/+$/, '')));
export const positiveInt = v.pipe(v.string(), v.toNumber(), v.integer(), v.minValue(1));
/** `YYYY-MM-DD`, as midnight UTC. */
export const day = v.pipe(v.string(), v.isoDate(), v.transform((s) => new Date(`${s}T00:00:00Z`)));
