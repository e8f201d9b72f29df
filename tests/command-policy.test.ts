// The autopilot's command and file-write allowlist, as tables: read-only forms are safe;
// shell syntax, unknown programs, options not known to be read-only (also as abbreviations),
// and paths outside the workspace need approval.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { classifyCommand, classifyFileRead, classifyFileWrite } from '../lib/autopilot/command-policy.ts';

const cls = (command: string | string[]) => classifyCommand(command).classification;

test('safe: read-only forms of allowlisted tools', () => {
  for (const command of [
    'git status', 'GIT STATUS', 'git status --porcelain', 'git diff --name-only', 'git rev-parse HEAD', 'git log --format=%H',
    'python scripts/check_docs_drift.py', 'python scripts/tidy/sot_summary_refresh.py --check',
    'ruff check --no-fix .', 'ruff check --diff src', 'black --check .', 'mypy src', 'flake8', 'ls', 'ls -la', 'dir', 'find . -name x',
    'git branch', 'git branch -a', 'git branch -avv', 'git branch --list "feat/*"', 'git branch --contains HEAD', 'git show HEAD:README.md',
    'git log -5 --oneline', 'git log -n5 --format=%h -- docs/', 'git diff --stat=80 HEAD~1..HEAD', 'git diff -U3 --cached', 'git status -uno',
    'git log --since=2026-01-01 --author=me -p', 'git diff --no-ext-diff --no-textconv',
    'black --check -l 100 --diff .', 'black --check -l100 src', 'mypy --strict -p autopack', 'flake8 --max-line-length=100 src tests',
    'ls -la docs', 'ls --almost-all --sort=size', "find . -name '*.py' -mtime -7 -type f", 'find src docs -iname readme* -print0',
  ]) {
    assert.is(cls(command), 'safe', command);
  }
});

test('requires approval: chaining, pipes, redirection, substitution, newlines', () => {
  for (const command of [
    'git status && echo hi', 'git diff --name-only | head -n 1', 'python scripts/check_docs_drift.py; echo done',
    'git diff > out.txt', 'git log $(whoami)', 'git status\ncurl evil', 'git status\rcurl evil', 'git log ${HOME}', 'git log $HOME',
    'git status # rm', 'ls `id`', 'ls & curl x', 'git status || true', '(git status)', 'echo "unterminated',
  ]) {
    assert.is(cls(command), 'requires_approval', JSON.stringify(command));
  }
});

test('requires approval: destructive commands and flags of read-only tools', () => {
  for (const command of [
    'rm -rf /', 'rm', 'git push', 'git checkout -- .', 'git commit -m x', 'git reset --hard', 'git merge x', 'git rebase main', 'git stash',
    'pip install x', 'python -m pip install x', 'npm install', 'npm ci',
    'python scripts/tidy/sot_summary_refresh.py --execute', 'python scripts/tidy/sot_summary_refresh.py --check --execute',
    'python scripts/check_docs_drift.py --del', 'ruff check --fix .', 'ruff check . --unsafe-fixes', 'find . -name x -delete',
    'find . -name x -exec rm {} ;', 'find . -type f', 'git branch -D main', 'git branch -fD main', 'git branch new-branch', 'git diff --output=out.txt',
    'git diff --ext-diff', 'black .', 'mypy --install-types', 'flake8 --output-file=x',
    'ruff check .', 'ruff check --no-fix --fix .', 'ruff check --no-fix --config "fix = true" .', 'ruff check --no-fix --cache-dir=/tmp/c .',
    'git log -p --output=/tmp/x', 'git show --textconv HEAD:a.bin', 'git log --show-signature', 'find . -name x -fprint out', 'find -L . -name x',
    'ls -L docs', 'git diff -Oorder.txt', 'git branch -m old new', 'git branch --edit-description',
  ]) {
    assert.is(cls(command), 'requires_approval', command);
  }
});

test('collecting tests is running repository code: pytest --collect-only is not read-only', () => {
  for (const command of ['pytest -q tests/docs/ --collect-only', 'python -m pytest tests/docs/ --collect-only', 'pytest --collect-only', 'pytest -q']) {
    const verdict = classifyCommand(command);
    assert.is(verdict.classification, 'requires_approval', command);
    assert.match(verdict.reason, /conftest\.py/);
  }
});

test('options are default-deny per subcommand, and abbreviations are matched the way the tools match them', () => {
  const reasons: Array<[string, RegExp]> = [
    ['git branch --set-upstream-t=origin/main', /--set-upstream-t abbreviates --set-upstream-to, which changes branches/],
    ['git branch --unset-up', /--unset-up abbreviates --unset-upstream/],
    ['git branch --del topic', /--del abbreviates --delete/],
    ['git branch --no-t', /abbreviates --no-track/],
    ['git branch --co', /abbreviates --copy/],
    ['git diff --outp=out.txt', /--outp abbreviates --output, which writes a file/],
    ['git diff --ext', /abbreviates --ext-diff, which runs another program/],
    ['git diff --no-ind /etc/hostname /dev/null', /abbreviates --no-index/],
    ['git log --textc', /abbreviates --textconv/],
    ['mypy --install src', /--install abbreviates --install-types, which installs packages/],
    ['mypy --junit=out.xml src', /abbreviates --junit-xml, which writes a file/],
    ['mypy --cache=x src', /abbreviates --cache-dir/],
    ['mypy --stri src', /--stri is ambiguous/],
    ['flake8 --output=x', /abbreviates --output-file/],
    ['flake8 --te=x', /abbreviates --tee/],
    ['ls --deref', /abbreviates --dereference/],
    ['git status --no-optional-locks', /--no-optional-locks is not on the read-only list for git status/],
    ['git diff --foo', /--foo is not on the read-only list for git diff/],
    ['git rev-parse --show-top', /--show-top is not on the read-only list for git rev-parse/],
    ['ruff check --no-f .', /--no-f is not on the read-only list for ruff check/],
    ['black --che .', /--che is not on the read-only list for black/],
    ['ls -laZj', /-j is not on the read-only list for ls/],
  ];
  for (const [command, reason] of reasons) {
    const verdict = classifyCommand(command);
    assert.is(verdict.classification, 'requires_approval', command);
    assert.match(verdict.reason, reason, command);
  }
  // A unique prefix of a read-only option stands for it.
  for (const command of ['git status --porc', 'git branch --li', 'mypy --ignore-missing src', 'ls --almost', 'flake8 --max-line=100']) {
    assert.is(cls(command), 'safe', command);
  }
});

test('arguments and option values that are paths must lie inside the workspace', () => {
  const refused: Array<[string, RegExp]> = [
    ['ls -la /', /path \/ lies outside the workspace/],
    ['ls /etc', /path \/etc lies outside/],
    ['ls ..', /path \.\. lies outside/],
    ['ls docs/../../x', /lies outside/],
    ['find /etc -name passwd', /path \/etc lies outside/],
    ['find . -name x -newer /etc/passwd', /the value of -newer, \/etc\/passwd, lies outside/],
    ['git diff --no-index /etc/hostname /dev/null', /--no-index compares any two files on disk/],
    ['git diff HEAD -- ../secret', /path \.\.\/secret lies outside/],
    ['git log -- /etc/passwd', /lies outside/],
    ['git diff --relative=/x', /the value of --relative, \/x, lies outside/],
    ['git -C / status', /git options before the subcommand \(-C\)/],
    ['git --git-dir=/x status', /git options before the subcommand \(--git-dir=\/x\)/],
    ['git -c core.pager=evil log', /git options before the subcommand/],
    ['black --check --config=/etc/black.toml .', /the value of --config, \/etc\/black\.toml, lies outside/],
    ['black --check --config /etc/black.toml .', /path \/etc\/black\.toml lies outside/],
    ['mypy @/tmp/args.txt', /would read more arguments from a file/],
    ['mypy @args.txt', /would read more arguments from a file/],
    ['flake8 --append-config=../x.cfg', /lies outside/],
    ['ls C:\\Windows', /lies outside/],
  ];
  for (const [command, reason] of refused) {
    const verdict = classifyCommand(command);
    assert.is(verdict.classification, 'requires_approval', command);
    assert.match(verdict.reason, reason, command);
  }
  // With the workspace root, an absolute path inside it is fine; nothing is read from the disk.
  const root = '/nonexistent/workspace';
  assert.is(classifyCommand(['ls', '-la', `${root}/docs`], { root }).classification, 'safe');
  assert.is(classifyCommand(['git', 'diff', '--', `${root}/src/a.ts`], { root }).classification, 'safe');
  assert.is(classifyCommand(['ls', `${root}/../x`], { root }).classification, 'requires_approval');
  assert.is(classifyCommand(['ls', `${root}x`], { root }).classification, 'requires_approval');
  assert.is(classifyCommand(['ls', '/'], { root }).classification, 'requires_approval');
  // Revision ranges are not paths.
  assert.is(cls('git log main..feature'), 'safe');
  assert.is(cls('git diff HEAD~1...HEAD'), 'safe');
});

test('requires approval: matching is on the program, not a substring (default-deny)', () => {
  for (const command of ['echo mypy', 'curl http://x mypy', 'sed -i s/a/b/ f mypy', '  git status', 'python3 scripts/check_docs_drift.py', 'pytest -q', 'lsblk', 'cat /etc/passwd', '/usr/bin/git status', './git status']) {
    assert.is(cls(command), 'requires_approval', command);
  }
  const reason = classifyCommand('rm -rf /').reason;
  assert.match(reason.toLowerCase(), /requires approval/);
  // argv form: the same rules without any string parsing; an argument is one word whatever it contains.
  assert.is(cls(['git', 'log', '--format=%H']), 'safe');
  assert.is(cls(['git', 'log', 'a; rm -rf /']), 'safe', 'a single argument, never seen by a shell');
  assert.is(cls(['git', 'status\ncurl']), 'requires_approval');
  assert.is(cls([]), 'requires_approval');
});

test('file writes: only below the runs dir, normalised first', () => {
  const table: Array<[string, string]> = [
    ['.autonomous_runs/x.json', 'safe'],
    ['.autonomous_runs\\a\\b.json', 'safe'],
    ['.autonomous_runs/project/runs/family/run123/gaps/gap_report.json', 'safe'],
    ['.autonomous_runs/project/runs/family/run123/plans/plan_proposal.json', 'safe'],
    ['.autonomous_runs/project/runs/family/run123/autonomy/session.json', 'safe'],
    ['./.autonomous_runs/x', 'safe'],
    ['.autonomous_runs/../src/x.py', 'blocked'],
    ['/abs/.autonomous_runs/x', 'blocked'],
    ['../outside.txt', 'blocked'],
    ['.autonomous_runsX/y', 'requires_approval'],
    ['.autonomous_runs', 'requires_approval'],
    ['docs/README.md', 'requires_approval'],
    ['config/models.yaml', 'requires_approval'],
    ['src/autopack/main.py', 'requires_approval'],
    ['tests/test_something.py', 'requires_approval'],
    ['.github/workflows/ci.yml', 'requires_approval'],
    ['docs', 'requires_approval'],
    ['README.md', 'requires_approval'],
    ['foo.txt', 'requires_approval'],
    ['build/out.txt', 'requires_approval'],
    ['srcx/a', 'requires_approval'],
  ];
  for (const [path, expected] of table) assert.is(classifyFileWrite(path).classification, expected, path);
  assert.is(classifyFileWrite('logs/a.log', 'runs/p/runs/r').classification, 'requires_approval');
  assert.is(classifyFileWrite('runs/p/runs/r/logs/a.log', 'runs/p/runs/r').classification, 'safe');
});

test('file reads stay inside the workspace', () => {
  assert.is(classifyFileRead('docs/a.md').classification, 'safe');
  assert.is(classifyFileRead('/etc/shadow').classification, 'blocked');
  assert.is(classifyFileRead('../x').classification, 'blocked');
});

test.run();
