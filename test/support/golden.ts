// UPDATE_GOLDEN=1 rewrites golden files instead of comparing with them. Under CI
// (env CI set) that would make a changed output pass, so it is refused there.

export function updateGolden(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.UPDATE_GOLDEN !== '1') return false;
  if (env.CI !== undefined && env.CI !== '' && env.CI !== 'false') {
    throw new Error('UPDATE_GOLDEN=1 is refused under CI (CI is set): it would turn a changed output into a pass. Regenerate locally and review the diff.');
  }
  return true;
}
