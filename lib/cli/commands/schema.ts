import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ARTIFACT_NAMES, resolveArtifactName } from '../../contracts/artifacts.ts';
import { DEFAULT_GAP_TYPES } from '../../contracts/gap-report.ts';
import { allJsonSchemaFiles, artifactJsonSchema } from '../../contracts/json-schema.ts';
import { openWorkspace } from '../../config/workspace.ts';
import { knownGapTypes } from '../../registry/load.ts';
import { jsonText } from '../../report/types.ts';
import { AutopackError } from '../../util/errors.ts';
import type { Flags } from '../commands.ts';
import { str } from '../flags.ts';
import type { CliIo } from '../io.ts';

/** Built-in gap types, plus plugin types when a workspace or config is named explicitly. */
async function gapTypes(flags: Flags, io: CliIo): Promise<readonly string[]> {
  const workspace = str(flags, 'workspace');
  const configPath = str(flags, 'config');
  if (workspace === undefined && configPath === undefined) return DEFAULT_GAP_TYPES;
  const opened = await openWorkspace({ workspace, configPath, cwd: io.cwd, env: io.env });
  return knownGapTypes(opened.registry);
}

export async function schemaCommand(args: string[], flags: Flags, io: CliIo): Promise<number> {
  const out = str(flags, 'out');
  const types = await gapTypes(flags, io);
  if (flags.all === true) {
    if (!out) throw new AutopackError('--all needs --out <dir> (one file per schema)');
    const dir = resolve(io.cwd, out);
    await mkdir(dir, { recursive: true });
    for (const [file, text] of allJsonSchemaFiles({ gapTypes: types })) await writeFile(join(dir, file), text);
    return 0;
  }
  const requested = args[0];
  const name = requested === undefined ? undefined : resolveArtifactName(requested);
  if (!name) {
    const what = requested === undefined ? 'Which schema?' : `Unknown schema '${requested}'.`;
    throw new AutopackError(`${what} Names: ${ARTIFACT_NAMES.join(', ')}`);
  }
  const text = jsonText(artifactJsonSchema(name, { gapTypes: types }));
  if (out) {
    const dir = resolve(io.cwd, out);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, `${name}.schema.json`), text);
  } else io.stdout(text);
  return 0;
}
