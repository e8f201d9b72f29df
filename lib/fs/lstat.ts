import { lstatSync, type Stats } from 'node:fs';

/** Errors that mean "nothing is there": `a/b` when `a` is a file (ENOTDIR) is as absent as a missing `b`. */
const ABSENT = new Set(['ENOENT', 'ENOTDIR', 'ENAMETOOLONG']);

/** lstat of a path that may not exist: undefined when nothing is there, whatever is on the way. */
export function lstatIfExists(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    if (ABSENT.has((error as NodeJS.ErrnoException).code ?? '')) return undefined;
    throw error;
  }
}
