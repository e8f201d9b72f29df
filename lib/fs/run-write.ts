import { lstatSync, mkdirSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { AutopackError } from '../util/errors.ts';
import { writeFileAtomic } from './atomic-write.ts';

/**
 * The folders from the runs dir down to `dir`, created one at a time: any that exists must be a
 * real folder, never a symlink (a symlinked sub-folder of the runs dir would carry the write out).
 */
export function prepareFolders(runsDir: string, dir: string): void {
  const rel = relative(runsDir, dir);
  let current = runsDir;
  for (const segment of ['', ...(rel === '' ? [] : rel.split(sep))]) {
    current = segment === '' ? current : join(current, segment);
    let info;
    try {
      info = lstatSync(current);
    } catch {
      mkdirSync(current, { recursive: segment === '' });
      continue;
    }
    if (info.isSymbolicLink()) throw new AutopackError(`Refusing to write through the symlink ${current} (inside the runs dir)`);
    if (!info.isDirectory()) throw new AutopackError(`Cannot write below ${current}: it is not a folder`);
  }
}

/**
 * The one way autopack writes into its runs dir. The target must lie inside `runsDir` (its real
 * path, resolved once at start); every folder on the way is created or checked not to be a
 * symlink, and just before the atomic rename the parent's real path is checked again, so a
 * folder swapped for a symlink in between cannot redirect the write.
 */
export async function writeRunFile(runsDir: string, path: string, content: string | Uint8Array): Promise<void> {
  const rel = relative(runsDir, path);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    throw new AutopackError(`Refusing to write ${path}: it is not inside the runs dir ${runsDir}`);
  }
  const dir = dirname(path);
  prepareFolders(runsDir, dir);
  await writeFileAtomic(path, content, {
    beforeRename: () => {
      if (realpathSync(dir) !== dir) throw new AutopackError(`Refusing to write ${path}: its folder now resolves to ${realpathSync(dir)}`);
    },
  });
}

/** JSON as autopack writes it everywhere: two-space indent, trailing newline. */
export async function writeRunJson(runsDir: string, path: string, value: unknown): Promise<void> {
  await writeRunFile(runsDir, path, `${JSON.stringify(value, null, 2)}\n`);
}
