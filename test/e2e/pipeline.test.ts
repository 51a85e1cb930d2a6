import { backfillRun } from './backfillRun.ts';
import { describeBackfill, describeSecondCron } from './backfill.ts';
import { describeChangeFeed } from './changeFeed.ts';
import { describeDoctor } from './doctor.ts';
import { describeProcurement } from './procurement.ts';
import { describeStatusPage } from './statusPage.ts';

/**
 * The end-to-end suites that need a finished backfill share one (backfillRun.ts): one wrangler dev,
 * one simulator, one backfill, read by each in turn. In this order, as each later one changes what
 * the earlier ones read: what the backfill holds; the status page (an operator's pause, lifted
 * again); the doctor (one request to each source); a procurement amended and awarded in the next
 * delta; the change feed of it all; one more cron changing nothing.
 */
const run = backfillRun();

describeBackfill(run);
describeStatusPage(run);
describeDoctor(run);
describeProcurement(run);
describeChangeFeed(run);
describeSecondCron(run);
