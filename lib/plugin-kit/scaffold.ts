// Scaffolds for plugin authors: `autopack detectors new` and `autopack actions new`. Planning
// is pure (what would be written, and where); writing creates each file only if it does not
// exist yet, after checking all of them first, so a refusal leaves nothing half-written.
import { relativeInside } from '../fs/run-layout.ts';
import { createNewFile, newFileProblem } from '../fs/create-new.ts';
import { fileNameForId } from '../registry/load.ts';
import { AutopackError, UsageError } from '../util/errors.ts';
import { actionScaffold } from './scaffold-action.ts';
import { detectorScaffold } from './scaffold-detector.ts';

export const PLUGIN_ID = /^[a-z][a-z0-9_]*$/;

export interface ScaffoldFile {
  /** Workspace-relative POSIX path. */
  path: string;
  content: string;
}

/** The names one scaffold uses throughout. */
export interface ScaffoldNames {
  id: string;
  title: string;
  /** The plugin folder, workspace-relative POSIX (`plugins`). */
  dir: string;
  /** `license-missing`: the id with - for _, as the built-ins are named. */
  base: string;
  /** The plugin module's file name, in `dir`. */
  file: string;
  testFile: string;
  /** How the test runs, from the workspace root. */
  testCommand: string;
}

export interface ScaffoldPlan {
  kind: 'detector' | 'action';
  files: ScaffoldFile[];
  /** The `plugins:` entry that registers it (relative to the workspace root, where the config lives). */
  pluginEntry: string;
  testCommand: string;
}

export interface ScaffoldRequest {
  kind: 'detector' | 'action';
  id: string;
  /** Absolute workspace root (real path). */
  root: string;
  /** Absolute plugin folder (default `<root>/plugins`). */
  dir: string;
  typescript: boolean;
  /** For an action: the gap types it verifies. */
  verifies?: readonly string[];
}

function namesOf(request: ScaffoldRequest, dir: string): ScaffoldNames {
  const base = fileNameForId(request.id);
  const ext = request.typescript ? 'mts' : 'mjs';
  const testFile = `${base}.test.${ext}`;
  const words = request.id.replace(/_/g, ' ');
  return {
    id: request.id,
    title: words.charAt(0).toUpperCase() + words.slice(1),
    dir,
    base,
    file: `${base}.${ext}`,
    testFile,
    testCommand: `${request.typescript ? 'npx tsx' : 'node'} ${dir}/${testFile}`,
  };
}

/** What a scaffold would write. The id and the folder are checked; the disk is only read. */
export function planScaffold(request: ScaffoldRequest): ScaffoldPlan {
  if (!PLUGIN_ID.test(request.id)) throw new UsageError(`${request.kind} id '${request.id}' must match ${PLUGIN_ID.source} (snake_case, starting with a letter)`);
  for (const type of request.verifies ?? []) {
    if (type !== '*' && !PLUGIN_ID.test(type)) throw new UsageError(`--verifies: '${type}' is not a gap type (snake_case) or *`);
  }
  const dir = relativeInside(request.root, request.dir);
  if (dir === undefined || dir === '') throw new UsageError(`--dir must name a folder inside the workspace ${request.root}`);
  const names = namesOf(request, dir);
  const files = request.kind === 'detector' ? detectorScaffold(names, request.typescript) : actionScaffold(names, request.verifies ?? [], request.typescript);
  return { kind: request.kind, files, pluginEntry: `./${dir}/${names.file}`, testCommand: names.testCommand };
}

/** Writes every file of the plan, or none: an existing file (or a symlink on the way) refuses the whole scaffold. */
export async function writeScaffold(root: string, plan: ScaffoldPlan): Promise<void> {
  const problems = plan.files.map((file) => newFileProblem(root, file.path)).filter((problem): problem is string => problem !== undefined);
  if (problems.length > 0) throw new AutopackError(problems.join('\n'), { hint: 'nothing was written: choose another id or --dir' });
  for (const file of plan.files) await createNewFile(root, file.path, file.content);
}
