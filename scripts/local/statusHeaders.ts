/** The headers that open a Worker's status surface: its STATUS_TOKEN, when this environment has it. */
export function statusHeaders(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return env.STATUS_TOKEN ? { authorization: `Bearer ${env.STATUS_TOKEN}` } : {};
}
