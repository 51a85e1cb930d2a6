import { CONFIG_NAMES } from '../../shared/config.ts';

/** The Worker variables (shared/config.ts) set in an environment, to pass on to `wrangler dev`. */
export function configVarsFrom(env: NodeJS.ProcessEnv): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const name of CONFIG_NAMES) {
    const value = env[name];
    if (value) vars[name] = value;
  }
  return vars;
}
