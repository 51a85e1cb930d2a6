/** The headers that open a Worker's status surface: its STATUS_TOKEN, when this environment has it. */
export function statusHeaders(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return env.STATUS_TOKEN ? bearer(env.STATUS_TOKEN) : {};
}

/** The headers an admin endpoint wants (POST /replay, /admin/doctor): the Worker's ADMIN_TOKEN. */
export function adminHeaders(adminToken: string): Record<string, string> {
  return bearer(adminToken);
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
