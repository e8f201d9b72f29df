import { execFileSync, spawnSync } from 'node:child_process';

/**
 * A fresh checkout's index holds files written in its own second, which git must re-read on
 * every status until the index is refreshed after that second; a working repository is past it.
 */
export function settleIndex(repo: string, env: NodeJS.ProcessEnv): void {
  execFileSync('sleep', ['1.1']);
  spawnSync('git', ['update-index', '-q', '--refresh'], { cwd: repo, env, stdio: 'ignore' });
}
