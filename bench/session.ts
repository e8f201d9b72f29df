// An autopilot session against a scan of the same repository: a session scans once, plans, and
// runs the auto-approved verifications (here one re-scan of a root-clutter gap), so it should
// cost at most twice a scan. Measured alternately on a clone of the generated 10k-file repository.
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { median, timed } from './measure.ts';
import { settleIndex } from './settle-index.ts';

export interface SessionBench {
  bin: string;
  work: string;
  runs: number;
  source: string;
  gitEnv: NodeJS.ProcessEnv;
}

export function measureSession(bench: SessionBench): { rows: string[][]; verdicts: string[] } {
  const repo = join(bench.work, 'repo-10000-session');
  rmSync(repo, { recursive: true, force: true });
  execFileSync('git', ['clone', '-q', bench.source, repo], { env: bench.gitEnv });
  writeFileSync(join(repo, 'NOTES.md'), 'an agent was here\n');
  settleIndex(repo, bench.gitEnv);
  const anchor = join(bench.work, 'session-anchor.json');
  rmSync(anchor, { force: true });
  execFileSync(process.execPath, [bench.bin, 'anchor', 'init', '--out', anchor], { cwd: repo, stdio: 'ignore' });
  const scan = [bench.bin, 'gaps', 'scan', '--fail-on', 'never'];
  const session = [bench.bin, 'autopilot', 'run', '--enable', '--anchor-path', anchor];
  timed(process.execPath, scan, repo);
  timed(process.execPath, session, repo);
  const scans: number[] = [];
  const sessions: number[] = [];
  for (let i = 0; i < bench.runs; i++) {
    scans.push(timed(process.execPath, scan, repo));
    sessions.push(timed(process.execPath, session, repo));
  }
  rmSync(repo, { recursive: true, force: true });
  const ratio = median(sessions) / median(scans);
  return {
    rows: [['10k files', '`autopilot run --enable` (one gap, its verification run)', `${median(sessions).toFixed(0)} ms`, 'full `gaps scan`', `${median(scans).toFixed(0)} ms`, `${ratio.toFixed(2)}×`]],
    verdicts: [`an autopilot session within 2× of a scan: ${ratio <= 2 ? 'yes' : 'NO'} (${ratio.toFixed(2)}×)`],
  };
}
