/**
 * The sources a test stack copies unless it turns Public Contracts Scotland on: the handler tests'
 * fake env (PCS_ENABLED=false) and the local stack without its `pcs` option leave PCS off.
 */
export const SOURCES_ON = ['FIND_A_TENDER', 'CONTRACTS_FINDER'] as const;
