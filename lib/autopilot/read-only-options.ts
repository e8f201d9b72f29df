import type { Grammar } from './command-grammar.ts';

/**
 * For each allowlisted command, the options known to be read-only (everything else needs
 * approval) and the known dangerous ones with the reason. The git names were checked against
 * git 2.39; the others follow the tools' documentation (GNU coreutils ls, ruff check, black,
 * mypy, flake8).
 */

export const WRITES_FILE = 'writes a file';
export const RUNS_PROGRAM = 'runs another program';

/** Output options of git diff, log and show. */
const DIFF_OUTPUT = [
  '--patch', '--no-patch', '--unified', '--raw', '--patch-with-raw', '--patch-with-stat', '--numstat', '--shortstat', '--stat',
  '--compact-summary', '--dirstat', '--cumulative', '--dirstat-by-file', '--summary', '--name-only', '--name-status', '--check',
  '--full-index', '--binary', '--abbrev', '--no-abbrev', '--find-renames', '--find-copies', '--find-copies-harder', '--no-renames',
  '--rename-empty', '--no-rename-empty', '--irreversible-delete', '--diff-filter', '--minimal', '--patience', '--histogram',
  '--anchored', '--diff-algorithm', '--ignore-space-at-eol', '--ignore-space-change', '--ignore-all-space', '--ignore-blank-lines',
  '--ignore-cr-at-eol', '--ignore-matching-lines', '--text', '--color', '--no-color', '--color-moved', '--no-color-moved',
  '--color-moved-ws', '--no-color-moved-ws', '--word-diff', '--word-diff-regex', '--color-words', '--function-context',
  '--exit-code', '--quiet', '--no-ext-diff', '--no-textconv', '--src-prefix', '--dst-prefix', '--no-prefix', '--line-prefix',
  '--relative', '--no-relative', '--submodule', '--ignore-submodules', '--ita-invisible-in-index', '--ita-visible-in-index',
  '--stat-width', '--stat-name-width', '--stat-count', '--stat-graph-width', '--inter-hunk-context', '--indent-heuristic',
  '--no-indent-heuristic', '--break-rewrites',
];
const DIFF_SHORT = 'pusRabwWzD';
const DIFF_SHORT_VALUE = 'UMCBlSG';

const GIT_FORBIDDEN: Record<string, string> = {
  '--output': WRITES_FILE,
  '--ext-diff': RUNS_PROGRAM,
  '--textconv': RUNS_PROGRAM,
  '--no-index': 'compares any two files on disk, also outside the repository',
  '--show-signature': `${RUNS_PROGRAM} (gpg)`,
  '-O': 'reads an order file',
};

/** Commit selection and formatting of git log and show. */
const LOG_OPTIONS = [
  '--oneline', '--pretty', '--format', '--abbrev-commit', '--no-abbrev-commit', '--encoding', '--expand-tabs', '--no-expand-tabs',
  '--notes', '--no-notes', '--relative-date', '--date', '--parents', '--children', '--left-right', '--graph', '--show-linear-break',
  '--decorate', '--no-decorate', '--decorate-refs', '--decorate-refs-exclude', '--source', '--use-mailmap', '--no-use-mailmap',
  '--mailmap', '--no-mailmap', '--full-diff', '--log-size', '--max-count', '--skip', '--since', '--after', '--until', '--before',
  '--author', '--committer', '--grep', '--all-match', '--invert-grep', '--regexp-ignore-case', '--basic-regexp',
  '--extended-regexp', '--fixed-strings', '--perl-regexp', '--remove-empty', '--merges', '--no-merges', '--min-parents',
  '--max-parents', '--no-min-parents', '--no-max-parents', '--first-parent', '--not', '--all', '--branches', '--tags', '--remotes',
  '--glob', '--exclude', '--reflog', '--single-worktree', '--ignore-missing', '--cherry-mark', '--cherry-pick', '--left-only',
  '--right-only', '--cherry', '--walk-reflogs', '--merge', '--boundary', '--simplify-by-decoration', '--full-history', '--dense',
  '--sparse', '--simplify-merges', '--ancestry-path', '--show-pulls', '--date-order', '--author-date-order', '--topo-order',
  '--reverse', '--no-walk', '--do-walk', '--follow', '--diff-merges', '--no-diff-merges', '--combined-all-paths', '--cc',
  '--pickaxe-all', '--pickaxe-regex', '--find-object',
];
const LOG_SHORT = 'iEFPmctg';

const gitLog = (title: string): Grammar => ({
  title,
  long: [...LOG_OPTIONS, ...DIFF_OUTPUT],
  short: LOG_SHORT + DIFF_SHORT,
  shortWithValue: `n${DIFF_SHORT_VALUE}`,
  forbidden: GIT_FORBIDDEN,
  abbreviations: true,
  numericCount: true,
});

const BRANCH_CHANGES: Record<string, string> = Object.fromEntries(
  ['-d', '-D', '--delete', '-m', '-M', '--move', '-c', '-C', '--copy', '-f', '--force', '-u', '--set-upstream-to', '--set-upstream',
    '--unset-upstream', '--edit-description', '-t', '--track', '--no-track', '--create-reflog', '--recurse-submodules']
    .map((option) => [option, 'changes branches']),
);
/** With one of these, `git branch` lists (operands are patterns or commits); without, `git branch NAME` creates NAME. */
export const BRANCH_LISTS = ['--list', '-l', '--contains', '--no-contains', '--merged', '--no-merged', '--points-at'];

export const GRAMMARS = {
  gitStatus: {
    title: 'git status',
    long: ['--short', '--branch', '--show-stash', '--porcelain', '--long', '--verbose', '--untracked-files', '--ignored',
      '--ignore-submodules', '--column', '--no-column', '--ahead-behind', '--no-ahead-behind', '--renames', '--no-renames',
      '--find-renames', '--null'],
    short: 'sbvz',
    shortWithValue: 'u',
    abbreviations: true,
  },
  gitDiff: {
    title: 'git diff',
    long: ['--cached', '--staged', '--merge-base', '--base', '--ours', '--theirs', ...DIFF_OUTPUT],
    short: DIFF_SHORT,
    shortWithValue: DIFF_SHORT_VALUE,
    forbidden: GIT_FORBIDDEN,
    abbreviations: true,
  },
  gitLog: gitLog('git log'),
  gitShow: gitLog('git show'),
  gitRevParse: {
    title: 'git rev-parse',
    long: ['--verify', '--quiet', '--short', '--abbrev-ref', '--symbolic', '--symbolic-full-name', '--show-toplevel', '--show-prefix',
      '--show-cdup', '--git-dir', '--absolute-git-dir', '--git-common-dir', '--is-inside-git-dir', '--is-inside-work-tree',
      '--is-bare-repository', '--is-shallow-repository', '--show-superproject-working-tree', '--show-object-format', '--all',
      '--branches', '--tags', '--remotes', '--not', '--revs-only', '--no-revs', '--flags', '--no-flags'],
    short: 'q',
    // rev-parse parses its options by hand: no abbreviations.
    abbreviations: false,
  },
  gitBranch: {
    title: 'git branch',
    long: ['--list', '--all', '--remotes', '--verbose', '--show-current', '--contains', '--no-contains', '--merged', '--no-merged',
      '--points-at', '--sort', '--format', '--color', '--no-color', '--column', '--no-column', '--ignore-case', '--abbrev', '--no-abbrev'],
    short: 'larvi',
    forbidden: BRANCH_CHANGES,
    abbreviations: true,
  },
  ruffCheck: {
    title: 'ruff check',
    long: ['--no-fix', '--diff', '--show-fixes', '--no-show-fixes', '--select', '--ignore', '--extend-select', '--per-file-ignores',
      '--extend-per-file-ignores', '--fixable', '--unfixable', '--extend-fixable', '--exclude', '--extend-exclude',
      '--respect-gitignore', '--no-respect-gitignore', '--force-exclude', '--no-force-exclude', '--output-format', '--target-version',
      '--line-length', '--preview', '--no-preview', '--statistics', '--exit-zero', '--exit-non-zero-on-fix', '--ignore-noqa',
      '--show-files', '--show-settings', '--quiet', '--silent', '--verbose', '--isolated', '--no-cache', '--no-unsafe-fixes',
      '--dummy-variable-rgx', '--extension'],
    short: 'qsv',
    forbidden: {
      '--fix': 'rewrites files', '--unsafe-fixes': 'rewrites files', '--fix-only': 'rewrites files', '--add-noqa': 'rewrites files',
      '--output-file': WRITES_FILE, '-o': WRITES_FILE, '--watch': 'never ends', '-w': 'never ends', '--cache-dir': WRITES_FILE,
      '--config': 'can set any option, fix = true included',
    },
    // clap, without inferred long options.
    abbreviations: false,
  },
  black: {
    title: 'black',
    long: ['--check', '--diff', '--color', '--no-color', '--line-length', '--target-version', '--pyi', '--ipynb',
      '--python-cell-magics', '--skip-source-first-line', '--skip-string-normalization', '--skip-magic-trailing-comma', '--preview',
      '--unstable', '--enable-unstable-feature', '--include', '--exclude', '--extend-exclude', '--force-exclude',
      '--required-version', '--quiet', '--verbose', '--fast', '--safe', '--workers', '--config', '--line-ranges'],
    short: 'SCqv',
    shortWithValue: 'ltW',
    // click: no abbreviations.
    abbreviations: false,
  },
  mypy: {
    title: 'mypy',
    long: ['--strict', '--ignore-missing-imports', '--follow-imports', '--python-version', '--platform', '--disallow-untyped-defs',
      '--disallow-incomplete-defs', '--check-untyped-defs', '--disallow-untyped-calls', '--disallow-any-generics',
      '--disallow-subclassing-any', '--disallow-untyped-decorators', '--warn-unused-ignores', '--warn-return-any',
      '--warn-redundant-casts', '--warn-unreachable', '--warn-unused-configs', '--no-implicit-optional', '--no-implicit-reexport',
      '--strict-equality', '--strict-optional', '--no-strict-optional', '--show-error-codes', '--hide-error-codes',
      '--show-column-numbers', '--show-error-context', '--show-absolute-path', '--pretty', '--no-error-summary', '--error-summary',
      '--no-color-output', '--color-output', '--explicit-package-bases', '--namespace-packages', '--no-namespace-packages',
      '--exclude', '--config-file', '--no-site-packages', '--no-silence-site-packages', '--allow-redefinition',
      '--allow-untyped-globals', '--local-partial-types', '--enable-error-code', '--disable-error-code', '--verbose', '--version',
      '--scripts-are-modules', '--no-incremental', '--incremental'],
    short: 'vV',
    shortWithValue: 'mp',
    forbidden: Object.fromEntries([
      ...['--junit-xml', '--html-report', '--xml-report', '--txt-report', '--linecount-report', '--linecoverage-report',
        '--lineprecision-report', '--any-exprs-report', '--cobertura-xml-report', '--xslt-html-report', '--xslt-txt-report',
        '--cache-dir', '--sqlite-cache'].map((option) => [option, WRITES_FILE]),
      ['--install-types', 'installs packages'], ['--non-interactive', 'installs packages'],
      ['--python-executable', RUNS_PROGRAM], ['--custom-typeshed-dir', 'reads another typeshed'], ['--shadow-file', 'reads another file'],
    ]),
    abbreviations: true,
    fromFilePrefix: '@',
  },
  flake8: {
    title: 'flake8',
    long: ['--select', '--ignore', '--extend-select', '--extend-ignore', '--max-line-length', '--max-doc-length', '--max-complexity',
      '--count', '--statistics', '--show-source', '--no-show-source', '--quiet', '--verbose', '--exit-zero', '--exclude',
      '--extend-exclude', '--filename', '--per-file-ignores', '--format', '--hang-closing', '--indent-size', '--jobs',
      '--disable-noqa', '--color', '--config', '--append-config', '--isolated', '--doctests', '--benchmark', '--version'],
    short: 'qv',
    shortWithValue: 'j',
    forbidden: { '--output-file': WRITES_FILE, '--tee': WRITES_FILE, '--install-hook': 'installs a git hook' },
    abbreviations: true,
  },
  ls: {
    title: 'ls',
    long: ['--all', '--almost-all', '--author', '--escape', '--block-size', '--ignore-backups', '--color', '--directory', '--classify',
      '--file-type', '--format', '--full-time', '--group-directories-first', '--no-group', '--human-readable', '--si', '--hide',
      '--hyperlink', '--indicator-style', '--inode', '--ignore', '--kibibytes', '--literal', '--numeric-uid-gid',
      '--hide-control-chars', '--show-control-chars', '--quote-name', '--quoting-style', '--reverse', '--recursive', '--size',
      '--sort', '--time', '--time-style', '--tabsize', '--width', '--context', '--zero'],
    short: 'aAbBcCdfFgGhiklmnNopqQrRsStuUvxXZ1',
    shortWithValue: 'ITw',
    forbidden: {
      '-L': 'follows symlinks', '-H': 'follows symlinks', '--dereference': 'follows symlinks',
      '--dereference-command-line': 'follows symlinks', '--dereference-command-line-symlink-to-dir': 'follows symlinks',
    },
    abbreviations: true,
  },
} satisfies Record<string, Grammar>;

