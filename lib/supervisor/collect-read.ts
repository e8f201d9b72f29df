import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SAFE_ID_PATTERN } from '../contracts/common.ts';
import { validate } from '../contracts/issues.ts';
import { SupervisorResultV1 } from '../contracts/supervisor-result.ts';
import { DEFAULT_INPUT_MAX_BYTES } from '../fs/guarded-read.ts';
import { readStructuredFile } from '../fs/read-structured.ts';
import { AutopackError, InvalidArtifactError } from '../util/errors.ts';

/** One runs dir as a matrix job left it: the folder as named, and the supervisor result found in it. */
export interface CollectedPart {
  /** The folder as the operator named it (for messages). */
  dir: string;
  /** The result file, as shown in messages. */
  file: string;
  result: SupervisorResultV1;
}

const HINT = 'pass the --runs-dir of one matrix job as it was downloaded: it holds supervisor/<supervisor_id>/result.json, written by autopilot supervise';

/** The folder a name points to, as a real path: it must exist and be a folder. */
async function realFolder(absPath: string, display: string): Promise<string> {
  let real: string;
  try {
    real = await realpath(absPath);
  } catch {
    throw new AutopackError(`${display}: no such folder`, { hint: HINT });
  }
  if (!(await stat(real)).isDirectory()) throw new AutopackError(`${display}: not a folder`, { hint: HINT });
  return real;
}

/**
 * Reads the one supervisor result a matrix job's runs dir holds: `<dir>/supervisor/<id>/result.json`,
 * strict JSON, size-capped, a regular file whose real path stays inside the folder (a symlink
 * out of it is refused, and so is a `supervisor` folder that is a symlink), validated as a
 * SupervisorResultV1. A folder with no result, with several, or with an invalid one is exit 2
 * naming it: a fresh runs dir per job holds exactly one.
 */
export async function readCollectedDir(absPath: string, named: string): Promise<CollectedPart> {
  // `runs/*/` from a shell glob names the folder with a trailing slash.
  const display = named.replace(/(.)\/+$/, '$1');
  const root = await realFolder(absPath, display);
  const supervisorDir = join(root, 'supervisor');
  const info = await lstat(supervisorDir).catch(() => undefined);
  if (!info) throw new AutopackError(`${display}: no supervisor result in it (no supervisor/ folder)`, { hint: HINT });
  if (!info.isDirectory()) throw new AutopackError(`${display}/supervisor: not a folder${info.isSymbolicLink() ? ' (a symlink)' : ''}`, { hint: HINT });
  const names = (await readdir(supervisorDir)).filter((name) => SAFE_ID_PATTERN.test(name)).sort();
  const found: string[] = [];
  for (const name of names) {
    if (await lstat(join(supervisorDir, name, 'result.json')).then(() => true, () => false)) found.push(name);
  }
  if (found.length === 0) throw new AutopackError(`${display}: no supervisor result in it (no supervisor/<id>/result.json)`, { hint: HINT });
  if (found.length > 1) {
    throw new AutopackError(`${display}: holds ${found.length} supervisor results (${found.join(', ')}); one runs dir per matrix job holds one`, {
      hint: 'give each job a fresh --runs-dir, or pass the folders of the results you mean',
    });
  }
  const file = `${display}/supervisor/${found[0]}/result.json`;
  const data = await readStructuredFile(join(supervisorDir, found[0]!, 'result.json'), file, { root, maxBytes: DEFAULT_INPUT_MAX_BYTES });
  const checked = validate(SupervisorResultV1, data);
  if (!checked.ok) throw new InvalidArtifactError(file, 'SupervisorResultV1', checked.issues);
  return { dir: display, file, result: checked.value };
}
