/**
 * Whether the tests run under CI, where a tier whose prerequisites cannot be had fails instead of
 * skipping (a skipped tier would pass a pipeline that checked nothing). CI systems set CI=true or
 * CI=1; CI unset, empty, 0 or false (any case) is a developer's machine, so `CI=false npm test`
 * skips as locally.
 */
export function underCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && !["", "0", "false"].includes(value);
}
