import { randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync } from 'node:fs';
import { link, open, rm } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { relativeInside } from './run-layout.ts';
import { AutopackError } from '../util/errors.ts';

/**
 * Why `relPath` cannot be created inside `root`, or undefined: it must lie inside, must not
 * exist yet (nothing a person wrote is ever replaced), and every folder on the way that exists
 * must be a real folder, never a symlink that would carry the write elsewhere.
 */
export function newFileProblem(root: string, relPath: string): string | undefined {
  const target = join(root, relPath);
  if (relativeInside(root, target) === undefined || relativeInside(root, target) === '') return `${relPath} is not inside ${root}`;
  let current = root;
  for (const segment of relative(root, dirname(target)).split(sep).filter((part) => part !== '')) {
    current = join(current, segment);
    const info = lstatSync(current, { throwIfNoEntry: false });
    if (!info) break;
    if (info.isSymbolicLink()) return `${relative(root, current)} is a symlink: refusing to write through it`;
    if (!info.isDirectory()) return `${relative(root, current)} is not a folder`;
  }
  if (lstatSync(target, { throwIfNoEntry: false })) return `${relPath} already exists: autopack never overwrites a file`;
  return undefined;
}

/**
 * Creates a file that must not exist yet: written to a temp file beside it, flushed, then
 * hard-linked into place, which fails rather than replaces when the name appeared meanwhile.
 * Readers never see half a file, and nothing is ever overwritten.
 */
export async function createNewFile(root: string, relPath: string, content: string): Promise<void> {
  const problem = newFileProblem(root, relPath);
  if (problem) throw new AutopackError(problem);
  const target = join(root, relPath);
  mkdirSync(dirname(target), { recursive: true });
  const temp = join(dirname(target), `.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', 0o644);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temp, target);
  } catch (error) {
    if ((error as { code?: string }).code === 'EEXIST') throw new AutopackError(`${relPath} already exists: autopack never overwrites a file`);
    throw error;
  } finally {
    await rm(temp, { force: true });
  }
}
