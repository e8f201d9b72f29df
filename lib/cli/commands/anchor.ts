import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { stringify as toYaml } from 'yaml';
import { anchorWarnings, pivotCompleteness } from '../../anchor/completeness.ts';
import { createAnchor } from '../../anchor/create-anchor.ts';
import { IntentionAnchorV2 } from '../../contracts/anchor.ts';
import { issuesToLines, validate } from '../../contracts/issues.ts';
import { openWorkspace } from '../../config/workspace.ts';
import { toJsonText, writeFileAtomic } from '../../fs/atomic-write.ts';
import { ensureRunsDirExcluded } from '../../fs/git-exclude.ts';
import { readStructuredFile } from '../../fs/read-structured.ts';
import { RUN_ARTIFACTS } from '../../fs/run-layout.ts';
import { clockFromEnv } from '../../util/clock.ts';
import { AutopackError } from '../../util/errors.ts';
import { choiceFlag, stringFlag, workspaceFlags } from '../flags.ts';
import { createCliLogger, type CliIo } from '../io.ts';

const isYaml = (path: string) => /\.ya?ml$/i.test(path);

export async function anchorInitCommand(_args: string[], flags: Record<string, unknown>, io: CliIo): Promise<number> {
  const format = choiceFlag(stringFlag(flags.format, '--format'), '--format', ['json', 'yaml'] as const, 'json');
  const out = stringFlag(flags.out, '--out');
  const write = flags.write === true;
  if (out && write) throw new AutopackError('--out and --write both name where to write: choose one');
  const logger = await createCliLogger(io);
  const workspace = await openWorkspace({
    ...workspaceFlags(flags, io),
  });
  const anchor = createAnchor({ projectId: workspace.projectId, input: stringFlag(flags.input, '--input'), now: clockFromEnv(io.env).now() });
  io.stdout(format === 'yaml' ? toYaml(anchor) : toJsonText(anchor));
  const target = out ? resolve(io.cwd, out) : write ? join(workspace.runDir, RUN_ARTIFACTS.anchor) : undefined;
  if (!target) return 0;
  const shown = relative(io.cwd, target) || target;
  // Nothing lost: an anchor someone wrote by hand is never replaced without --force.
  if (existsSync(target) && flags.force !== true) throw new AutopackError(`${shown} already exists`, { hint: 'pass --force to replace it' });
  if (write) await ensureRunsDirExcluded(workspace.git, workspace.root, workspace.runsDir);
  await writeFileAtomic(target, isYaml(target) ? toYaml(anchor) : toJsonText(anchor));
  logger.success(`Wrote intention anchor: ${shown}`);
  return 0;
}

export async function anchorValidateCommand(args: string[], flags: Record<string, unknown>, io: CliIo): Promise<number> {
  const format = choiceFlag(stringFlag(flags.format, '--format'), '--format', ['text', 'json'] as const, 'text');
  const file = args[0]!;
  const logger = await createCliLogger(io);
  const result = validate(IntentionAnchorV2, await readStructuredFile(resolve(io.cwd, file), file));
  const errors = result.ok ? [] : result.issues;
  const missing = result.ok ? pivotCompleteness(result.value) : [];
  const warnings = result.ok ? anchorWarnings(result.value) : [];
  if (format === 'json') {
    io.stdout(toJsonText({ file, valid: result.ok, errors, warnings, missing_sections: missing }));
  } else {
    const lines = [
      ...issuesToLines(errors),
      ...warnings.map((w) => `${w.path}: warning: ${w.message}`),
      ...missing.map((m) => `missing ${m.section}: ${m.question}`),
    ];
    if (lines.length > 0) io.stdout(`${lines.join('\n')}\n`);
  }
  if (!result.ok) {
    logger.error(`${file} is not a valid IntentionAnchorV2: ${errors.length} error(s)`);
    return 2;
  }
  logger.success(`${file} is a valid IntentionAnchorV2${missing.length ? ` (${missing.length} of 8 sections missing)` : ''}`);
  return 0;
}
