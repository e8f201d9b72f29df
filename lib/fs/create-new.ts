import { lstatIfExists } from './lstat.ts';
import { dirname, join, relative, sep } from 'node:path';
import { createFileAtomic } from './atomic-write.ts';
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
    const info = lstatIfExists(current);
    if (!info) break;
    if (info.isSymbolicLink()) return `${relative(root, current)} is a symlink: refusing to write through it`;
    if (!info.isDirectory()) return `${relative(root, current)} is not a folder`;
  }
  if (lstatIfExists(target)) return `${relPath} already exists: autopack never overwrites a file`;
  return undefined;
}

/**
 * Creates a file that must not exist yet, inside `root`, through no symlink: the checks of
 * {@link newFileProblem}, then {@link createFileAtomic}, which fails rather than replaces when the
 * name appeared meanwhile. Readers never see half a file, and nothing is ever overwritten.
 */
export async function createNewFile(root: string, relPath: string, content: string): Promise<void> {
  const problem = newFileProblem(root, relPath);
  if (problem) throw new AutopackError(problem);
  try {
    await createFileAtomic(join(root, relPath), content);
  } catch (error) {
    if ((error as { code?: string }).code === 'EEXIST') throw new AutopackError(`${relPath} already exists: autopack never overwrites a file`);
    throw error;
  }
}
