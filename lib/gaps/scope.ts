import { lstatIfExists } from '../fs/lstat.ts';
import { join } from 'node:path';
import { pathsInHead, readBlobs } from '../git/blobs.ts';
import type { Git, RepoState } from '../git/git.ts';
import { normalizeWorkspacePath } from '../governance/paths.ts';
import { AutopackError } from '../util/errors.ts';
import { compareCodePoints } from '../util/sort.ts';
import { HEAD_BYTES, MAX_READ_BYTES, workingTreeSource, type ByteSource, type Want } from './file-pass.ts';
import type { ScanScope } from './scan-scope.ts';

export type { ScanScope } from './scan-scope.ts';

export type ChangeKind = 'added' | 'modified';

/** The files of a partial scan, how each changed, and where their bytes come from. */
export interface PartialScope {
  mode: 'staged' | 'since' | 'files';
  files: string[];
  changes: ReadonlyMap<string, ChangeKind>;
  /** The merge base, for `since`. */
  base?: string;
  /** For `staged`: the blob each path has in the index (the content being committed). */
  blobs?: ReadonlyMap<string, string>;
  /** For `files`: the paths given that are not files of the workspace, and why (the report's notes say so). */
  leftOut?: ReadonlyArray<{ path: string; reason: string }>;
}

/** Why a given path is not a file a scan can judge, or undefined when it is one. */
function notAFile(root: string, path: string): string | undefined {
  const info = lstatIfExists(join(root, path));
  if (!info) return 'not found';
  if (info.isSymbolicLink()) return 'a symlink (never followed)';
  if (info.isDirectory()) return 'a folder (--files takes files: pass the files in it)';
  return info.isFile() ? undefined : 'not a regular file';
}

const SYMLINK_OR_SUBMODULE = new Set(['120000', '160000']);

/** `git diff --raw -z` records: `:old new oldsha newsha STATUS\0path\0` (two paths for renames and copies). */
function parseRaw(output: string): Array<{ path: string; sha: string; mode: string; kind: ChangeKind }> {
  const records = output.split('\0');
  const entries = [];
  for (let i = 0; i < records.length - 1; i++) {
    const header = records[i]!;
    if (!header.startsWith(':')) continue;
    const [, mode = '', , sha = '', status = ''] = header.slice(1).split(' ');
    const letter = status[0] ?? '';
    const path = letter === 'R' || letter === 'C' ? records[(i += 2)]! : records[++i]!;
    if (SYMLINK_OR_SUBMODULE.has(mode)) continue;
    entries.push({ path, sha, mode, kind: (letter === 'M' ? 'modified' : 'added') as ChangeKind });
  }
  return entries;
}

async function diffEntries(git: Git, args: string[], what: string) {
  const result = await git.run(['diff', '--raw', '-z', '--no-abbrev', '--diff-filter=ACMR', '--relative', ...args]);
  if (result.exit_code !== 0) throw new AutopackError(`Cannot list ${what}: ${(result.error ?? result.stderr).trim().split('\n')[0]}`);
  return parseRaw(result.stdout);
}

/**
 * The files a partial scan judges. `staged`: what the next commit holds (added, copied, modified,
 * renamed; deleted files have nothing to judge), with the index's blob of each. `since REF`: what
 * changed between the merge base of REF and HEAD and the working tree. `files`: the paths given
 * (what the pre-commit framework passes), those that exist as files.
 */
export async function resolvePartialScope(scope: Exclude<ScanScope, { mode: 'full' }>, git: Git, repo: RepoState): Promise<PartialScope> {
  if (scope.mode === 'files') {
    const files: string[] = [];
    for (const raw of scope.files) {
      const normalized = normalizeWorkspacePath(raw);
      if (!normalized.ok || normalized.path === '') throw new AutopackError(`--files: '${raw}' is not a path inside the workspace`);
      files.push(normalized.path);
    }
    const given = [...new Set(files)].sort(compareCodePoints);
    // Only files are judged: a missing path is no "added" file, and a folder is not silently nothing.
    const leftOut = given.flatMap((path) => {
      const reason = notAFile(git.root, path);
      return reason ? [{ path, reason }] : [];
    });
    const left = new Set(leftOut.map((entry) => entry.path));
    const unique = given.filter((path) => !left.has(path));
    // A path HEAD does not have is being added.
    const inHead = repo.hasCommits ? await pathsInHead(git, unique.filter((path) => !path.includes('\n'))) : new Set<string>();
    return { mode: 'files', files: unique, changes: new Map(unique.map((path) => [path, inHead.has(path) || !repo.isRepo ? 'modified' : 'added'])), ...(leftOut.length > 0 ? { leftOut } : {}) };
  }
  if (!repo.isRepo) throw new AutopackError(`--${scope.mode} needs a git repository (${repo.reason ?? 'none found'})`);
  if (scope.mode === 'staged') {
    const entries = await diffEntries(git, ['--cached'], 'the staged files');
    return {
      mode: 'staged',
      files: entries.map((entry) => entry.path).sort(compareCodePoints),
      changes: new Map(entries.map((entry) => [entry.path, entry.kind])),
      blobs: new Map(entries.map((entry) => [entry.path, entry.sha])),
    };
  }
  // A revision, never an option: `--since --output=x` must not reach git as a flag.
  if (scope.ref.startsWith('-') || scope.ref.trim() === '') throw new AutopackError(`--since: '${scope.ref}' is not a revision`);
  const base = await git.run(['merge-base', scope.ref, 'HEAD']);
  if (base.exit_code !== 0) {
    // CI checkouts are often shallow (one commit): the ref, or the history down to the merge base, is simply not there.
    const shallow = (await git.run(['rev-parse', '--is-shallow-repository'])).stdout.trim() === 'true';
    throw new AutopackError(`--since ${scope.ref}: no merge base with HEAD (${(base.error ?? base.stderr).trim().split('\n')[0] || 'unknown revision'})`, {
      ...(shallow ? { hint: 'this is a shallow clone: fetch the history (actions/checkout with fetch-depth: 0, or git fetch --unshallow) and the ref' } : {}),
    });
  }
  const sha = base.stdout.trim();
  const entries = await diffEntries(git, [sha], `the changes since ${scope.ref}`);
  return { mode: 'since', base: sha, files: entries.map((entry) => entry.path).sort(compareCodePoints), changes: new Map(entries.map((entry) => [entry.path, entry.kind])) };
}

/**
 * Where a partial scan's bytes come from: for `staged`, the index (the content being committed,
 * never the working tree, never a stash), read in one `git cat-file --batch`; otherwise the
 * working tree. `wantFor(path, size)` is how much the scan's inspectors need of each file.
 */
export async function partialByteSource(scope: PartialScope, git: Git, root: string, wantFor: (path: string, size: number) => Want): Promise<ByteSource> {
  if (!scope.blobs) return workingTreeSource(root);
  const pathsBySha = new Map<string, string[]>();
  for (const [path, sha] of scope.blobs) pathsBySha.set(sha, [...(pathsBySha.get(sha) ?? []), path]);
  const blobs = await readBlobs(
    git,
    [...scope.blobs.values()],
    (sha, size) => (pathsBySha.get(sha) ?? []).map((path) => wantFor(path, size)).reduce<Want>((most, w) => (w === 'all' || most === 'all' ? 'all' : w === 'head' || most === 'head' ? 'head' : 'none'), 'none'),
    { headBytes: HEAD_BYTES, maxBytes: MAX_READ_BYTES },
  );
  return {
    read(path, want) {
      const sha = scope.blobs!.get(path);
      const blob = sha === undefined ? undefined : blobs.get(sha);
      if (blob) want(blob.size);
      return blob;
    },
  };
}
