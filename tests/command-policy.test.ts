// The autopilot's command and file-write allowlist: what must be read-only, and
// the cases of §14.1, as a table.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { classifyCommand, classifyFileRead, classifyFileWrite } from '../lib/autopilot/command-policy.ts';

const cls = (command: string | string[]) => classifyCommand(command).classification;

test('safe: read-only forms of allowlisted tools', () => {
  for (const command of [
    'git status', 'GIT STATUS', 'git status --porcelain', 'git diff --name-only', 'git rev-parse HEAD', 'git log --format=%H',
    'python scripts/check_docs_drift.py', 'python scripts/tidy/sot_summary_refresh.py --check',
    'pytest -q tests/docs/ --collect-only', 'python -m pytest tests/docs/ --collect-only', 'pytest --collect-only',
    'ruff check .', 'black --check .', 'mypy src', 'flake8', 'ls', 'ls -la', 'dir', 'find . -name x',
    'git branch', 'git branch -a', 'git branch --list "feat/*"', 'git show HEAD:README.md',
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
  ]) {
    assert.is(cls(command), 'requires_approval', command);
  }
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
