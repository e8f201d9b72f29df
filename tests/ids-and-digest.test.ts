// Hash vectors of the id formulas and the digest's cases, with an injected runner,
// then the same digest computed by real git.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { computeWorkspaceDigest, GIT_UNAVAILABLE_SENTINEL } from '../lib/git/digest.ts';
import { createGit, type GitResult } from '../lib/git/git.ts';
import { gapId, legacyReportId, reportId } from '../lib/gaps/ids.ts';
import { sha256Hex, shortSha256, stripLoneSurrogates } from '../lib/util/hash.ts';
import { compareCodePoints, sortedUnique } from '../lib/util/sort.ts';
import { makeRepo, tempDir, testEnv } from './helpers/git-fixture.ts';

test('raw input digest and hash primitives match the reference vectors', () => {
  assert.is(shortSha256('hello', 16), '2cf24dba5fb0a30e');
  assert.is(shortSha256('', 16), 'e3b0c44298fc1c14');
  assert.is(shortSha256('unknown|git_unavailable', 16), GIT_UNAVAILABLE_SENTINEL);
  assert.is(GIT_UNAVAILABLE_SENTINEL, '25a12d1cd3feec8b');
  assert.is(shortSha256('unknown|', 16), '7ad6abec8ea0bd54');
  assert.is(shortSha256('abc123|M file.py', 16), '6a14e794d1c3e101');
  assert.is(shortSha256('def456|M file.py', 16), '3721c57e611f2adf');
  assert.is(shortSha256('abc123|', 16), 'ca206955807083eb');
});

test('gap ids match the reference vectors', () => {
  assert.is(gapId('doc_drift', ['check_docs_drift']), 'doc_drift-e8b63e97f2bc');
  assert.is(gapId('doc_drift', ['sot_summary_check']), 'doc_drift-7c02eaea9f1f');
  assert.is(gapId('doc_drift', ['doc_tests']), 'doc_drift-04ed13a73088');
  assert.is(gapId('baseline_policy_drift', ['missing_config']), 'baseline_policy_drift-e789771af03b');
  assert.is(gapId('git_state_corruption', ['git_fsck_failed']), 'git_state_corruption-ef1766f1d9c6');
  assert.is(gapId('root_clutter', ['NOTES.md']), 'root_clutter-f3d58dda5146');
  assert.is(gapId('root_clutter', ['BUILD_X.md', 'NOTES.md']), 'root_clutter-29aafc7f7532');
  assert.is(gapId('test_infra_drift', ['tests/test_b.py::t2', 'tests/test_a.py::t1']), 'test_infra_drift-100497eab96b');
});

test('gap ids do not depend on input order or duplicates (the reference duplicate bug is gone)', () => {
  // The reference hashed ["NOTES.md","BUILD_X.md","BUILD_X.md"] to root_clutter-c061d5aeb627.
  assert.is(gapId('root_clutter', ['NOTES.md', 'BUILD_X.md', 'BUILD_X.md']), 'root_clutter-29aafc7f7532');
  assert.is(gapId('root_clutter', ['NOTES.md', 'BUILD_X.md']), gapId('root_clutter', ['BUILD_X.md', 'NOTES.md']));
});

test('report ids follow the content formula; the legacy form is the digest prefix', () => {
  const expected = `gap-report-${sha256Hex('abc123def4567890\nb-1\nz-2').slice(0, 12)}`;
  assert.is(reportId('abc123def4567890', ['z-2', 'b-1']), expected);
  assert.is.not(reportId('abc123def4567890', ['z-2']), expected);
  assert.is(legacyReportId('8d2e2ea08255a736'), 'gap-report-8d2e2ea08255');
});

test('code-point order and lone surrogates behave like Python', () => {
  const values = ['b', 'a', 'B', '\uFF21', '\u{1F600}', 'é', 'a'];
  // Python: sorted(["b","a","B","Ａ","😀","é"]) == ['B','a','b','é','Ａ','😀']
  assert.equal(sortedUnique(values), ['B', 'a', 'b', 'é', '\uFF21', '\u{1F600}']);
  assert.ok(compareCodePoints('\uFFFF', '\u{10000}') < 0, 'BMP U+FFFF sorts before astral U+10000');
  assert.is(stripLoneSurrogates('a\uD800b\u{1F600}'), 'ab\u{1F600}');
  assert.is(shortSha256('a\uD800', 16), shortSha256('a', 16));
});

// ---- §10.5 with an injected runner ----
const ok = (stdout: string): GitResult => ({ exit_code: 0, stdout, stderr: '' });
const fail = (code = 1): GitResult => ({ exit_code: code, stdout: '', stderr: 'fatal' });
function scripted(...answers: Array<GitResult | Error>) {
  const calls: string[][] = [];
  const runner = async (args: readonly string[]) => {
    calls.push([...args]);
    const next = answers[Math.min(calls.length - 1, answers.length - 1)]!;
    if (next instanceof Error) throw next;
    return next;
  };
  return { runner, calls };
}

test('digest: same answers, same digest; exactly two calls, HEAD first', async () => {
  const a = scripted(ok('abc123\n'), ok('M file.py\n'));
  const b = scripted(ok('abc123\n'), ok('M file.py\n'));
  const first = await computeWorkspaceDigest(a.runner);
  assert.is(first, '6a14e794d1c3e101');
  assert.is(await computeWorkspaceDigest(b.runner), first);
  assert.equal(a.calls, [['rev-parse', 'HEAD'], ['status', '--porcelain']]);
});

test('digest: a different HEAD gives a different digest', async () => {
  assert.is(await computeWorkspaceDigest(scripted(ok('def456\n'), ok('M file.py\n')).runner), '3721c57e611f2adf');
});

test('digest: a runner that throws, or git that cannot run, gives the sentinel (never a time)', async () => {
  const first = await computeWorkspaceDigest(scripted(new Error('SubprocessError')).runner);
  await new Promise((resolve) => setTimeout(resolve, 100));
  const second = await computeWorkspaceDigest(scripted(new Error('TimeoutExpired')).runner);
  assert.is(first, GIT_UNAVAILABLE_SENTINEL);
  assert.is(second, GIT_UNAVAILABLE_SENTINEL);
  assert.ok(/^[0-9a-f]{16}$/.test(first));
  const timedOut = { exit_code: -1, stdout: '', stderr: '', error: 'timed out', timed_out: true };
  assert.is(await computeWorkspaceDigest(scripted(timedOut).runner), GIT_UNAVAILABLE_SENTINEL);
});

test('digest: empty status and a failing HEAD are hashed, not replaced', async () => {
  assert.is(await computeWorkspaceDigest(scripted(ok('abc123\n'), ok('')).runner), 'ca206955807083eb');
  assert.is(await computeWorkspaceDigest(scripted(fail(128), ok('')).runner), '7ad6abec8ea0bd54');
  assert.is(await computeWorkspaceDigest(scripted(fail(128), ok('')).runner), '7ad6abec8ea0bd54');
});

// ---- with real git ----
test('digest with real git: clean repo, dirty repo, not a repo, git missing', async () => {
  const repo = makeRepo({ files: { 'a.txt': 'a\n' } });
  const git = createGit({ root: repo.dir, env: testEnv() });
  const head = repo.git('rev-parse', 'HEAD').trim();
  assert.is(await computeWorkspaceDigest(git.run), shortSha256(`${head}|`, 16));
  writeFileSync(join(repo.dir, 'a.txt'), 'changed\n');
  assert.is(await computeWorkspaceDigest(git.run), shortSha256(`${head}|M a.txt`, 16), 'the leading space of the first porcelain line is trimmed');

  const plain = tempDir();
  assert.is(await computeWorkspaceDigest(createGit({ root: plain, env: testEnv() }).run), '7ad6abec8ea0bd54');
  const missing = createGit({ root: plain, env: testEnv(), bin: 'git-does-not-exist' });
  assert.is(await computeWorkspaceDigest(missing.run), GIT_UNAVAILABLE_SENTINEL);
  const state = await missing.repoState();
  assert.is(state.gitAvailable, false);
  assert.match(state.reason ?? '', /not found/);
});

test('repo state: unborn branch is a repository without commits; a plain folder is no repository', async () => {
  const unborn = makeRepo({ files: { 'a.txt': 'a' }, commit: false });
  const state = await createGit({ root: unborn.dir, env: testEnv() }).repoState();
  assert.equal([state.isRepo, state.hasCommits, state.prefix], [true, false, '']);
  const none = await createGit({ root: tempDir(), env: testEnv() }).repoState();
  assert.equal([none.gitAvailable, none.isRepo], [true, false]);
});

test.run();
