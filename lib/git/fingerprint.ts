import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { relativeInside } from '../fs/run-layout.ts';
import { sha256Hex } from '../util/hash.ts';
import type { Git } from './git.ts';

/** Folders a walk outside a repository never enters. */
const WALK_SKIPS = ['.git', 'node_modules', '.venv', 'venv', '__pycache__', 'dist', 'build'];

/**
 * What the workspace looks like, cheaply: every file git sees (tracked, and untracked but not
 * ignored) by mode, size, mtime and inode; every ignored entry as git reports it (a file by its
 * stat, a collapsed folder such as `node_modules/` by the folder's own stat — so a change deep
 * inside an ignored folder is not seen); and git's own state: HEAD, every ref, what is staged
 * (`git status`), the config, hooks and info/. The runs dir is left out.
 */
export interface Fingerprint {
  files: Map<string, string>;
  ignored: Map<string, string>;
  git: Map<string, string>;
}

export interface FingerprintChanges {
  created: string[];
  modified: string[];
  deleted: string[];
  /** Changes to git's own state: `HEAD`, `refs/heads/x`, `status`, `config`, `hooks/post-checkout`… */
  git: string[];
}

function statPrint(path: string): string | undefined {
  try {
    const info = lstatSync(path);
    return `${info.mode}:${info.size}:${info.mtimeMs}:${info.ino}`;
  } catch {
    return undefined;
  }
}

function contentPrint(path: string): string | undefined {
  try {
    return sha256Hex(readFileSync(path));
  } catch {
    return undefined;
  }
}

function commonDirOf(gitDir: string): string {
  try {
    const pointer = readFileSync(join(gitDir, 'commondir'), 'utf8').trim();
    return isAbsolute(pointer) ? pointer : join(gitDir, pointer);
  } catch {
    return gitDir;
  }
}

async function gitState(git: Git, gitDir: string | undefined, ignoreRef?: (ref: string) => boolean): Promise<Map<string, string>> {
  const state = new Map<string, string>();
  if (!gitDir) return state;
  const common = commonDirOf(gitDir);
  const refs = await git.run(['for-each-ref', '--format=%(objectname) %(refname)']);
  if (refs.exit_code === 0) {
    for (const line of refs.stdout.split('\n')) {
      const space = line.indexOf(' ');
      if (space > 0 && !ignoreRef?.(line.slice(space + 1))) state.set(line.slice(space + 1), line.slice(0, space));
    }
  }
  for (const [name, print] of [
    ['HEAD', contentPrint(join(gitDir, 'HEAD'))],
    ['config', contentPrint(join(common, 'config'))],
    ['info/exclude', contentPrint(join(common, 'info', 'exclude'))],
    ['info/attributes', contentPrint(join(common, 'info', 'attributes'))],
  ] as const) {
    if (print !== undefined) state.set(name, print);
  }
  let hooks: string[] = [];
  try {
    hooks = readdirSync(join(common, 'hooks'));
  } catch {
    // no hooks folder
  }
  for (const hook of hooks) {
    const print = contentPrint(join(common, 'hooks', hook)) ?? statPrint(join(common, 'hooks', hook));
    if (print !== undefined) state.set(`hooks/${hook}`, print);
  }
  return state;
}

const splitZ = (text: string) => text.split('\0').filter((path) => path !== '');

/** The fingerprint of an opened workspace, leaving out the refs it says others change meanwhile. */
export function fingerprintOf(workspace: { root: string; git: Git; runsDir: string; siblingRefs?: (ref: string) => boolean }): Promise<Fingerprint> {
  return fingerprintWorkspace({ root: workspace.root, git: workspace.git, runsDir: workspace.runsDir, ...(workspace.siblingRefs ? { ignoreRef: workspace.siblingRefs } : {}) });
}

/**
 * Fingerprints the workspace (see Fingerprint). `listed` is the output of the scan's own
 * `git ls-files --cached --others --exclude-standard`, when it has it, so it is not run twice.
 */
export async function fingerprintWorkspace(options: {
  root: string;
  git: Git;
  runsDir: string;
  listed?: readonly string[];
  /** Refs that others change while this workspace is watched (the branches of sibling runs sharing its ref store): left out. */
  ignoreRef?: (ref: string) => boolean;
}): Promise<Fingerprint> {
  const { root, git } = options;
  const runsRel = relativeInside(root, options.runsDir);
  const outsideRuns = (path: string) => !runsRel || (path !== runsRel && path !== `${runsRel}/` && !path.startsWith(`${runsRel}/`));
  const state = await git.repoState();
  let paths: readonly string[] | undefined = options.listed;
  let ignoredPaths: string[] = [];
  let gitPrints = new Map<string, string>();
  if (state.isRepo) {
    // One status for what is staged and what is ignored (collapsed the way git reports it).
    const [listed, status, prints] = await Promise.all([
      paths ? undefined : git.run(['ls-files', '--cached', '--others', '--exclude-standard', '-z']),
      git.run(['status', '--porcelain=v1', '-z', '--ignored']),
      gitState(git, state.gitDir, options.ignoreRef),
    ]);
    if (listed?.exit_code === 0) paths = splitZ(listed.stdout);
    if (status.exit_code === 0) {
      // The runs dir is autopack's own: its appearing (an action writing its run directory) is no change.
      // Status paths are relative to the top level; the workspace may be a folder below it.
      const local = (path: string) => (path.startsWith(state.prefix) ? path.slice(state.prefix.length) : undefined);
      const records = splitZ(status.stdout).filter((record) => {
        if (!/^(!!|\?\?) /.test(record)) return true;
        const path = local(record.slice(3));
        return path !== undefined && outsideRuns(path);
      });
      ignoredPaths = records.filter((record) => record.startsWith('!! ')).flatMap((record) => local(record.slice(3)) ?? []);
      prints.set('status', sha256Hex(records.join('\0')));
    }
    gitPrints = prints;
  }
  // A walk only outside a repository: tinyglobby is imported then, not on every run.
  paths ??= await (await import('tinyglobby')).glob('**', { cwd: root, dot: true, onlyFiles: true, followSymbolicLinks: false, ignore: WALK_SKIPS.map((dir) => `**/${dir}/**`) });
  const files = new Map<string, string>();
  for (const path of new Set(paths)) {
    if (!outsideRuns(path)) continue;
    const print = statPrint(join(root, path));
    if (print !== undefined) files.set(path, print);
  }
  const ignored = new Map<string, string>();
  for (const path of ignoredPaths) {
    if (!outsideRuns(path)) continue;
    const print = statPrint(join(root, path));
    if (print !== undefined) ignored.set(path, print);
  }
  return { files, ignored, git: gitPrints };
}

function diffMaps(before: Map<string, string>, after: Map<string, string>, out: { created: string[]; modified: string[]; deleted: string[] }): void {
  for (const [path, print] of after) {
    const old = before.get(path);
    if (old === undefined) out.created.push(path);
    else if (old !== print) out.modified.push(path);
  }
  for (const path of before.keys()) if (!after.has(path)) out.deleted.push(path);
}

export function compareFingerprints(before: Fingerprint, after: Fingerprint): FingerprintChanges {
  const files = { created: [] as string[], modified: [] as string[], deleted: [] as string[] };
  diffMaps(before.files, after.files, files);
  diffMaps(before.ignored, after.ignored, files);
  const git = { created: [] as string[], modified: [] as string[], deleted: [] as string[] };
  diffMaps(before.git, after.git, git);
  // git status changes whenever a file does; on its own it means the index changed (something was staged).
  const filesChanged = files.created.length + files.modified.length + files.deleted.length > 0;
  git.modified = git.modified.flatMap((name) => (name !== 'status' ? [name] : filesChanged ? [] : ['index']));
  const gitChanges = [...git.created.map((n) => `${n} (created)`), ...git.modified.map((n) => `${n} (changed)`), ...git.deleted.map((n) => `${n} (deleted)`)];
  return { created: files.created.sort(), modified: files.modified.sort(), deleted: files.deleted.sort(), git: gitChanges.sort() };
}

export function hasChanges(changes: FingerprintChanges): boolean {
  return changes.created.length + changes.modified.length + changes.deleted.length + changes.git.length > 0;
}

/** The changed paths, for evidence: files as they are, git's own state as `.git/<name>`. */
export function changedPaths(changes: FingerprintChanges): string[] {
  return [...changes.created, ...changes.modified, ...changes.deleted, ...changes.git.map((entry) => `.git/${entry.replace(/ \((created|changed|deleted)\)$/, '')}`)].sort();
}

export function describeChanges(changes: FingerprintChanges): string {
  const parts = [
    ...changes.created.map((path) => `${path} (created)`),
    ...changes.modified.map((path) => `${path} (modified)`),
    ...changes.deleted.map((path) => `${path} (deleted)`),
    ...changes.git.map((entry) => `.git/${entry}`),
  ];
  return parts.slice(0, 10).join(', ') + (parts.length > 10 ? ` and ${parts.length - 10} more` : '');
}
