import { relative, resolve } from 'node:path';
import { writeFileAtomic } from '../../fs/atomic-write.ts';
import { ensureRunsDirExcluded } from '../../fs/git-exclude.ts';
import { writeRunJson } from '../../fs/run-write.ts';
import { baselinePath } from '../../gaps/baseline.ts';
import { scanGaps } from '../../gaps/scan-gaps.ts';
import { countOf } from '../../report/human.ts';
import { jsonText } from '../../report/types.ts';
import { clockFromEnv } from '../../util/clock.ts';
import { UsageError } from '../../util/errors.ts';
import type { Flags } from '../commands.ts';
import { str, workspaceFlags } from '../flags.ts';
import { createCliLogger, emit, type CliIo } from '../io.ts';

export async function gapsBaselineCommand(_args: string[], flags: Flags, io: CliIo): Promise<number> {
  const out = str(flags, 'out');
  if (out && flags.write === true) throw new UsageError('--out and --write both name where to write: choose one');
  const logger = await createCliLogger(io);
  const { report, workspace } = await scanGaps({ ...workspaceFlags(flags, io), clock: clockFromEnv(io.env), logger, ...(flags.checks === false ? { checks: false } : {}) });
  await emit(io, 'gap-report', flags.format, report);
  if (out) {
    const target = resolve(io.cwd, out);
    await writeFileAtomic(target, jsonText(report));
    logger.success(`Wrote baseline (${countOf(report.gaps.length, 'gap')}): ${relative(io.cwd, target) || target}`);
  } else if (flags.write === true) {
    const target = baselinePath(workspace.runsDir, workspace.projectId);
    await ensureRunsDirExcluded(workspace.git, workspace.root, workspace.runsDir);
    await writeRunJson(workspace.runsDir, target, report);
    logger.success(`Wrote baseline (${countOf(report.gaps.length, 'gap')}): ${relative(io.cwd, target) || target}`);
  } else logger.info('Nothing written: pass --write (or --out FILE) to record this report as the baseline');
  return 0;
}
