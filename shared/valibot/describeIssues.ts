import * as v from 'valibot';

/**
 * Valibot issues as one readable line, e.g. `id: Invalid key: Expected "id" but received undefined`,
 * for logs and dead-letter reasons. At most `limit` issues are listed.
 */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[], limit = 5): string {
  const lines = issues.slice(0, limit).map((issue) => {
    const path = v.getDotPath(issue);
    return path === null ? issue.message : `${path}: ${issue.message}`;
  });
  const more = issues.length > limit ? ` (+${issues.length - limit} more)` : '';
  return lines.join('; ') + more;
}
