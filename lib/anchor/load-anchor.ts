import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { IntentionAnchorV2 } from '../contracts/anchor.ts';
import { validate } from '../contracts/issues.ts';
import type { InputFileOptions } from '../fs/guarded-read.ts';
import { readStructuredFile } from '../fs/read-structured.ts';
import { relativeInside, RUN_ARTIFACTS } from '../fs/run-layout.ts';
import { AutopackError, InvalidArtifactError } from '../util/errors.ts';

export interface LoadedAnchor {
  anchor: IntentionAnchorV2;
  /** Absolute path it was read from. */
  path: string;
}

/** Where an anchor is looked for, in order: the flag, the run-local path, the legacy run-local path. */
export function anchorCandidates(runDir: string): string[] {
  return [join(runDir, RUN_ARTIFACTS.anchor), join(runDir, RUN_ARTIFACTS.legacyAnchor)];
}

export async function readAnchorFile(path: string, display: string, options: InputFileOptions = {}): Promise<IntentionAnchorV2> {
  const data = await readStructuredFile(path, display, options);
  const result = validate(IntentionAnchorV2, data);
  if (!result.ok) throw new InvalidArtifactError(display, 'IntentionAnchorV2', result.issues);
  return result.value;
}

/**
 * Loads the intention anchor: `--anchor-path`, else the run-local
 * `intention/intention_anchor_v2.json`, else the legacy `intention_v2.json`. When none exists
 * it refuses to guess: an error (exit 2) naming every path tried and how to create one.
 * A run-local anchor inside `workspace` is never read through a symlink out of it (the
 * operator named no file; the repository could have put one there).
 */
export async function loadAnchor(options: { anchorPath?: string | undefined; runDir: string; cwd: string; workspace?: string | undefined }): Promise<LoadedAnchor> {
  const show = (path: string) => relative(options.cwd, path) || path;
  if (options.anchorPath) {
    const path = resolve(options.cwd, options.anchorPath);
    if (!existsSync(path)) throw new AutopackError(`Intention anchor not found: ${options.anchorPath}`, { hint: 'create one with `autopack anchor init --out FILE`' });
    return { anchor: await readAnchorFile(path, options.anchorPath), path };
  }
  const candidates = anchorCandidates(options.runDir);
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) {
    throw new AutopackError('No intention anchor found; refusing to guess what is allowed.', {
      extraLines: candidates.map((candidate) => `  tried: ${show(candidate)}`),
      hint: 'create one with `autopack anchor init --write` (same --run-id), or pass --anchor-path FILE',
    });
  }
  const root = options.workspace !== undefined && relativeInside(options.workspace, found) !== undefined ? { root: options.workspace } : {};
  return { anchor: await readAnchorFile(found, show(found), root), path: found };
}

