import { errorText } from '../../shared/errors.ts';

/** One line of the doctor's answer. `fix`, on a failed check: one sentence that says what to change. */
export interface Check {
  name: string;
  ok: boolean;
  ms: number;
  detail: string;
  fix?: string;
}

/** The doctor's answer (POST /admin/doctor), as `npm run doctor` reads it: ok when every check is. */
export interface DoctorReport {
  ok: boolean;
  checks: Check[];
}

/** What a check finds; runCheck names and times it. */
export type Finding = Pick<Check, 'ok' | 'detail' | 'fix'>;

/**
 * Runs one check, timed. Whatever it throws makes it fail with the error as its detail and the fix
 * `fixOf` gives for that error, so no check's failure stops the others.
 */
export async function runCheck(name: string, find: () => Promise<Finding>, fixOf: (error: unknown) => string): Promise<Check> {
  const started = Date.now();
  let finding: Finding;
  try {
    finding = await find();
  } catch (error) {
    // A plain Error's name says nothing; a driver's (MongoServerSelectionError) says what failed.
    finding = { ok: false, detail: error instanceof Error && error.name === 'Error' ? error.message : errorText(error), fix: fixOf(error) };
  }
  return { name, ok: finding.ok, ms: Date.now() - started, detail: finding.detail, ...(finding.fix !== undefined && { fix: finding.fix }) };
}

/** A check not run because one it depends on failed: it fails too, and says which to fix first. */
export function skipped(name: string, dependsOn: string): Check {
  return { name, ok: false, ms: 0, detail: `skipped: "${dependsOn}" failed`, fix: `see "${dependsOn}" above: this check runs once that one passes.` };
}
