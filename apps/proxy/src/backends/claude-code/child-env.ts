/**
 * Inherited variables the child does NOT get. Each would take the CLI away from the user's
 * own Claude Code login: an API key or token bills an API account instead of the
 * subscription, and a base URL (often set to switchyard itself so a shell's Claude Code uses
 * the proxy) would send the CLI back into switchyard in a loop. The proxy's own client key
 * is none of the CLI's business. An explicit `env` option may still set any of them.
 */
export const WITHHELD_ENV: readonly string[] = [
  "ANTHROPIC_API_KEY",
  "ANTHROPIC_AUTH_TOKEN",
  "ANTHROPIC_BASE_URL",
  "SWITCHYARD_API_KEY",
];

/**
 * The child's environment: the user's environment minus `withheld` (default
 * {@link WITHHELD_ENV}), then `overrides`.
 */
export function childEnvironment(
  inherited: NodeJS.ProcessEnv,
  overrides: Record<string, string> = {},
  withheld: readonly string[] = WITHHELD_ENV,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...inherited };
  for (const name of withheld) delete env[name];
  return { ...env, ...overrides };
}
