import picomatch from 'picomatch';
import type { Git, RepoState } from '../git/git.ts';
import { relativeInside } from '../fs/run-layout.ts';
import { sortByCodePoint } from '../util/sort.ts';

/** Folders no detector looks into: VCS data, dependencies, virtualenvs, caches, build output, run dirs. */
export const DEFAULT_EXCLUDED_DIRS = [
  '.git',
  '.autonomous_runs',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  '.tox',
  '.venv',
  '__pycache__',
  'build',
  'dist',
  'node_modules',
  'vendor',
  'venv',
] as const;

export interface FileList {
  files: string[];
  /** `git`: git ls-files (tracked + untracked, not ignored); `walk`: a directory walk outside a repository. */
  source: 'git' | 'walk';
}

export interface FileListOptions {
  root: string;
  git: Git;
  repo: RepoState;
  runsDir: string;
  /** Extra globs to exclude (config `exclude`). */
  exclude?: readonly string[];
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A path with one of the excluded folders as a segment (not as its file name). */
const IN_EXCLUDED_DIR = new RegExp(`(?:^|/)(?:${DEFAULT_EXCLUDED_DIRS.map(escapeRegExp).join('|')})/`);

function makeFilter(options: FileListOptions): (path: string) => boolean {
  const runsRel = relativeInside(options.root, options.runsDir);
  const userExclude = options.exclude && options.exclude.length > 0 ? picomatch([...options.exclude], { dot: true }) : undefined;
  return (path) => {
    if (IN_EXCLUDED_DIR.test(path)) return false;
    if (runsRel && (path === runsRel || path.startsWith(`${runsRel}/`))) return false;
    if (userExclude?.(path)) return false;
    return true;
  };
}

/** A partial scan's files, through the same filter as a full list (excludes, vendor folders, the runs dir). */
export function changedFileList(options: FileListOptions, partial: { files: readonly string[] }): FileList {
  const keep = makeFilter(options);
  return { files: partial.files.filter(keep), source: 'git' };
}

/**
 * The files detectors look at: `git ls-files --cached --others --exclude-standard -z`
 * (tracked and untracked, not ignored: an agent's stray NOTES.md counts), or a walk that
 * never follows symlinks outside a repository. Sorted by code point.
 */
export async function listWorkspaceFiles(options: FileListOptions): Promise<FileList> {
  const keep = makeFilter(options);
  let raw: string[] | undefined;
  let source: FileList['source'] = 'git';
  if (options.repo.isRepo) {
    const result = await options.git.run(['ls-files', '--cached', '--others', '--exclude-standard', '-z']);
    if (result.exit_code === 0) raw = result.stdout.split('\0').filter((path) => path !== '');
  }
  if (!raw) {
    source = 'walk';
    const { glob } = await import('tinyglobby');
    raw = await glob('**', {
      cwd: options.root,
      dot: true,
      onlyFiles: true,
      followSymbolicLinks: false,
      expandDirectories: false,
      ignore: DEFAULT_EXCLUDED_DIRS.map((dir) => `**/${dir}/**`),
    });
  }
  const files = sortByCodePoint([...new Set(raw)].filter(keep));
  return { files, source };
}
