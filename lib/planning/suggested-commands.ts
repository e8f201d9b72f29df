// Building blocks for the commands and rollbacks a detector's remediation suggests to a human.
// Display strings only (POSIX-quoted argv): autopack never runs them.
import type { PlanFacts } from '../registry/types.ts';
import { displayCommand } from '../runner/run-check.ts';

/**
 * `git restore -- paths`: undoes an edit of tracked files. Undefined unless every path is tracked
 * (an untracked file has nothing to restore from, and a rollback that misses files is no rollback).
 */
export function restoreTracked(paths: readonly string[], facts: PlanFacts): string | undefined {
  if (paths.length === 0 || !paths.every((path) => facts.tracked(path) === true)) return undefined;
  return displayCommand(['git', 'restore', '--', ...paths]);
}

/** `mv -- from to && …` for each pair. */
export function moveCommands(pairs: ReadonlyArray<readonly [from: string, to: string]>): string | undefined {
  if (pairs.length === 0) return undefined;
  return pairs.map(([from, to]) => displayCommand(['mv', '--', from, to])).join(' && ');
}
