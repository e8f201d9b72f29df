import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { anchorWarnings, pivotCompleteness } from '../../anchor/completeness.ts';
import { createAnchor } from '../../anchor/create-anchor.ts';
import { IntentionAnchorV2 } from '../../contracts/anchor.ts';
import { validate } from '../../contracts/issues.ts';
import { openWorkspace } from '../../config/workspace.ts';
import { writeFileAtomic } from '../../fs/atomic-write.ts';
import { ensureRunsDirExcluded } from '../../fs/git-exclude.ts';
import { writeRunFile } from '../../fs/run-write.ts';
import { readStructuredFile } from '../../fs/read-structured.ts';
import { RUN_ARTIFACTS } from '../../fs/run-layout.ts';
import { render } from '../../report/render.ts';
import { clockFromEnv } from '../../util/clock.ts';
import { AutopackError } from '../../util/errors.ts';
import type { Flags } from '../commands.ts';
import { str, workspaceFlags } from '../flags.ts';
import { createCliLogger, emit, type CliIo } from '../io.ts';

const isYaml = (path: string) => /\.ya?ml$/i.test(path);

export async function anchorInitCommand(_args: string[], flags: Flags, io: CliIo): Promise<number> {
  const out = str(flags, 'out');
  const write = flags.write === true;
  if (out && write) throw new AutopackError('--out and --write both name where to write: choose one');
  const logger = await createCliLogger(io);
  const workspace = await openWorkspace(workspaceFlags(flags, io));
  const anchor = createAnchor({ projectId: workspace.projectId, input: str(flags, 'input'), now: clockFromEnv(io.env).now() });
  const target = out ? resolve(io.cwd, out) : write ? join(workspace.runDir, RUN_ARTIFACTS.anchor) : undefined;
  const shown = target ? relative(io.cwd, target) || target : '';
  // Nothing lost: an anchor someone wrote by hand is never replaced without --force (refused before anything is printed).
  if (target && existsSync(target) && flags.force !== true) throw new AutopackError(`${shown} already exists`, { hint: 'pass --force to replace it' });
  await emit(io, 'anchor', flags.format, anchor);
  if (!target) return 0;
  if (write) await ensureRunsDirExcluded(workspace.git, workspace.root, workspace.runsDir);
  const context = { cwd: io.cwd, env: io.env };
  const text = await render('anchor', isYaml(target) ? 'yaml' : 'json', anchor, context);
  // A file the operator named goes where they said; the run-local one through the runs dir's guarded write.
  if (write) await writeRunFile(workspace.runsDir, target, text);
  else await writeFileAtomic(target, text);
  logger.success(`Wrote intention anchor: ${shown}`);
  return 0;
}

export async function anchorValidateCommand(args: string[], flags: Flags, io: CliIo): Promise<number> {
  const file = args[0]!;
  const logger = await createCliLogger(io);
  const result = validate(IntentionAnchorV2, await readStructuredFile(resolve(io.cwd, file), file));
  const errors = result.ok ? [] : result.issues;
  const missing = result.ok ? pivotCompleteness(result.value) : [];
  const warnings = result.ok ? anchorWarnings(result.value) : [];
  await emit(io, 'anchor-validation', flags.format, { file, valid: result.ok, errors, warnings, missing_sections: missing });
  if (!result.ok) {
    logger.error(`${file} is not a valid IntentionAnchorV2: ${errors.length} error(s)`);
    return 2;
  }
  logger.success(`${file} is a valid IntentionAnchorV2${missing.length ? ` (${missing.length} of 8 sections missing)` : ''}`);
  return 0;
}
