const encoder = new TextEncoder();

/** The UTF-8 size of a value as JSON: what a queue message's 128 KB limit counts. */
export const jsonBytes = (value: unknown): number => encoder.encode(JSON.stringify(value)).byteLength;
