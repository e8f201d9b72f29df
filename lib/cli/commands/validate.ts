import { basename, dirname, resolve } from 'node:path';
import { ARTIFACT_NAMES, ARTIFACT_TITLES, detectArtifactKind, resolveArtifactName, validateArtifact } from '../../contracts/artifacts.ts';
import { CONFIG_FILE_NAMES } from '../../config/load-config.ts';
import { DEFAULT_GAP_TYPES } from '../../contracts/gap-report.ts';
import type { ValidationIssue } from '../../contracts/issues.ts';
import { openWorkspace } from '../../config/workspace.ts';
import { readStructuredFile } from '../../fs/read-structured.ts';
import { knownGapTypes } from '../../registry/load.ts';
import { AutopackError, ConfigError, errorMessage } from '../../util/errors.ts';
import type { Flags } from '../commands.ts';
import { str } from '../flags.ts';
import { createCliLogger, emit, type CliIo } from '../io.ts';

export async function validateCommand(args: string[], flags: Flags, io: CliIo): Promise<number> {
  const file = args[0]!;
  const path = resolve(io.cwd, file);
  const logger = await createCliLogger(io);
  // The workspace's own config file is read as loading reads it: never through a symlink out.
  const root = resolve(io.cwd, str(flags, 'workspace') ?? '.');
  const ownConfig = dirname(path) === root && (CONFIG_FILE_NAMES as readonly string[]).includes(basename(path));
  const data = await readStructuredFile(path, file, ownConfig ? { root } : {});
  const kindFlag = str(flags, 'kind');
  const kind = kindFlag === undefined ? detectArtifactKind(data, basename(path)) : resolveArtifactName(kindFlag);
  if (!kind) {
    throw new AutopackError(
      kindFlag === undefined ? `Cannot tell what kind of artifact ${file} is` : `Unknown --kind '${kindFlag}'`,
      { hint: `pass --kind with one of: ${ARTIFACT_NAMES.join(', ')}` },
    );
  }

  let issues: ValidationIssue[] = [];
  if (kind === 'config') {
    // A config is checked in full: schema, then detector ids, options and plugins.
    const result = validateArtifact('config', data);
    if (!result.ok) issues = result.issues;
    else {
      try {
        await openWorkspace({ workspace: str(flags, 'workspace'), configPath: path, cwd: io.cwd, env: io.env });
      } catch (error) {
        if (error instanceof ConfigError) issues = error.issues;
        else if (error instanceof AutopackError) issues = [{ path: '$', message: errorMessage(error) }];
        else throw error;
      }
    }
  } else {
    let gapTypes: readonly string[] = DEFAULT_GAP_TYPES;
    try {
      const workspace = await openWorkspace({
        workspace: str(flags, 'workspace'),
        configPath: str(flags, 'config'),
        cwd: io.cwd,
        env: io.env,
      });
      gapTypes = knownGapTypes(workspace.registry);
    } catch (error) {
      logger.warn(`plugins not loaded (${errorMessage(error).split('\n')[0]}); validating against built-in gap types only`);
    }
    const result = validateArtifact(kind, data, { gapTypes });
    if (!result.ok) issues = result.issues;
  }

  const title = ARTIFACT_TITLES[kind];
  await emit(io, 'validation', flags.format, { file, kind, valid: issues.length === 0, errors: issues });
  if (issues.length === 0) {
    logger.success(`${file} is a valid ${title}`);
    return 0;
  }
  logger.error(`${file} is not a valid ${title}: ${issues.length} error(s)`);
  return 2;
}
