import { checkArguments, escapesWorkspace, pathOutside, valueOutside, type Grammar, type ParsedArguments } from './command-grammar.ts';
import { BRANCH_LISTS, GRAMMARS, RUNS_PROGRAM, WRITES_FILE } from './read-only-options.ts';

/**
 * The read-only commands an autopilot may run without approval: program, then subcommand,
 * each with the rule that finds what makes a given invocation unsafe.
 */

type Rule = (args: readonly string[], root: string | undefined) => string | undefined;

const problemOf = (grammar: Grammar, more?: (parsed: ParsedArguments) => string | undefined): Rule => (args, root) => {
  const checked = checkArguments(grammar, args, root);
  if (!checked.ok) return checked.problem;
  return more?.(checked.parsed);
};

const gitBranch = problemOf(GRAMMARS.gitBranch, (parsed) => {
  const lists = BRANCH_LISTS.some((option) => parsed.options.has(option));
  return !lists && parsed.operands.length > 0 ? 'git branch NAME creates a branch (only the listing forms are read-only)' : undefined;
});

/** find: starting points and path values inside the workspace, only primaries that do not act or follow links. */
const FIND_TESTS = new Set(['-name', '-iname', '-path', '-ipath', '-wholename', '-iwholename', '-regex', '-iregex', '-regextype',
  '-type', '-xtype', '-maxdepth', '-mindepth', '-mtime', '-mmin', '-atime', '-amin', '-ctime', '-cmin', '-newer', '-size', '-perm',
  '-user', '-group', '-links', '-inum', '-samefile', '-printf']);
const FIND_FLAGS = new Set(['-empty', '-nouser', '-nogroup', '-readable', '-writable', '-executable', '-print', '-print0', '-prune',
  '-quit', '-depth', '-mount', '-xdev', '-true', '-false', '-ls', '-daystart', '-noleaf', '-ignore_readdir_race', '-warn', '-nowarn',
  '-not', '-a', '-and', '-o', '-or', '!', '(', ')', '-P']);
const FIND_FORBIDDEN: Record<string, string> = {
  '-delete': 'deletes files', '-exec': RUNS_PROGRAM, '-execdir': RUNS_PROGRAM, '-ok': RUNS_PROGRAM, '-okdir': RUNS_PROGRAM,
  '-fprint': WRITES_FILE, '-fprint0': WRITES_FILE, '-fprintf': WRITES_FILE, '-fls': WRITES_FILE,
  '-files0-from': 'reads its starting points from a file', '-L': 'follows symlinks', '-H': 'follows symlinks', '-follow': 'follows symlinks',
};

const find: Rule = (args, root) => {
  if (!args.includes('-name') && !args.includes('-iname')) return 'only find … -name is allowlisted';
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (FIND_FORBIDDEN[arg]) return `${arg} ${FIND_FORBIDDEN[arg]}`;
    if (FIND_TESTS.has(arg)) {
      // find always takes the next argument as the value, whatever it looks like.
      const value = args[++index];
      if (value === undefined) return `${arg} needs a value`;
      if (escapesWorkspace(value, root)) return valueOutside(arg, value);
    } else if (FIND_FLAGS.has(arg)) continue;
    else if (arg.startsWith('-')) return `${arg} is not on the read-only list for find`;
    else if (escapesWorkspace(arg, root)) return pathOutside(arg);
  }
  return undefined;
};

const COLLECTING = 'collecting tests imports conftest.py and the test modules, which is running repository code';

export const ALLOWED: Record<string, Rule | Record<string, Rule>> = {
  git: {
    status: problemOf(GRAMMARS.gitStatus),
    diff: problemOf(GRAMMARS.gitDiff),
    log: problemOf(GRAMMARS.gitLog),
    show: problemOf(GRAMMARS.gitShow),
    'rev-parse': problemOf(GRAMMARS.gitRevParse),
    branch: gitBranch,
  },
  python: {
    'scripts/check_docs_drift.py': (args) => (args.length === 0 ? undefined : 'only the bare check is allowlisted'),
    'scripts/tidy/sot_summary_refresh.py': (args) => (args.length === 1 && args[0] === '--check' ? undefined : 'only --check is read-only'),
    '-m': (args) => (args[0] === 'pytest' ? `python -m pytest: ${COLLECTING}` : 'only the allowlisted scripts are read-only'),
  },
  pytest: () => `pytest: ${COLLECTING}`,
  ruff: {
    check: problemOf(GRAMMARS.ruffCheck, (parsed) =>
      parsed.options.has('--no-fix') || parsed.options.has('--diff') ? undefined : 'ruff check is read-only only with --no-fix (or --diff): a repository setting fix = true would rewrite files'),
  },
  black: problemOf(GRAMMARS.black, (parsed) => (parsed.options.has('--check') ? undefined : 'only the --check form is read-only')),
  mypy: problemOf(GRAMMARS.mypy),
  flake8: problemOf(GRAMMARS.flake8),
  ls: problemOf(GRAMMARS.ls),
  dir: problemOf({ ...GRAMMARS.ls, title: 'dir' }),
  find,
};
