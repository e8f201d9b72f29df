import type { Git } from '../git/git.ts';
import type { PlanFacts } from '../registry/types.ts';

/** The facts a plan's rollbacks need, from one `git ls-files` (tracked files); nothing outside a repository. */
export async function planFacts(git: Git): Promise<PlanFacts> {
  const state = await git.repoState();
  if (!state.isRepo) return { tracked: () => undefined };
  const result = await git.run(['ls-files', '--cached', '-z']);
  if (result.exit_code !== 0) return { tracked: () => undefined };
  const tracked = new Set(result.stdout.split('\0').filter((path) => path !== ''));
  return { tracked: (path) => tracked.has(path) };
}
