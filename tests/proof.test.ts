// Proof metrics from real git and phase proofs within their bounds.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { validateArtifact } from '../lib/contracts/artifacts.ts';
import { createGit } from '../lib/git/git.ts';
import { proofMetrics } from '../lib/proof/metrics.ts';
import { buildPhaseProof, changeSummary, proofFileName, type PhaseProofInput } from '../lib/proof/phase-proof.ts';
import { renderPhaseProof } from '../lib/report/proof/text.ts';
import { runBin } from './helpers/cli.ts';
import { makeRepo, tempDir, testEnv } from './helpers/git-fixture.ts';

test('metrics: unique paths of git diff HEAD (staged and unstaged once), untracked as created, deleted', async () => {
  const repo = makeRepo({ files: { 'a.txt': 'a\n', 'b.txt': 'b\n', 'c.txt': 'c\n', 'gone.txt': 'g\n' } });
  writeFileSync(join(repo.dir, 'a.txt'), 'a2\n');
  repo.git('add', 'a.txt');
  writeFileSync(join(repo.dir, 'a.txt'), 'a3\n'); // staged and unstaged: one path
  writeFileSync(join(repo.dir, 'b.txt'), 'b2\n');
  repo.git('add', 'b.txt'); // staged only (the reference counted it twice)
  rmSync(join(repo.dir, 'gone.txt'));
  writeFileSync(join(repo.dir, 'new.txt'), 'n\n');
  writeFileSync(join(repo.dir, 'staged-new.txt'), 's\n');
  repo.git('add', 'staged-new.txt');
  const metrics = await proofMetrics(createGit({ root: repo.dir, env: testEnv() }));
  assert.equal(metrics, {
    files_created: 2, files_modified: 2, files_deleted: 1,
    created: ['new.txt', 'staged-new.txt'], modified: ['a.txt', 'b.txt'], deleted: ['gone.txt'],
    metrics_placeholder: false,
  });
  const clean = makeRepo({ files: { 'a.txt': 'a\n' } });
  assert.equal((await proofMetrics(createGit({ root: clean.dir, env: testEnv() }))).files_modified, 0);
});

test('metrics: placeholders only when git cannot tell (missing, not a repository, no commits)', async () => {
  const missing = await proofMetrics(createGit({ root: tempDir(), env: testEnv(), bin: 'no-git-here' }));
  assert.equal([missing.metrics_placeholder, missing.files_modified], [true, 0]);
  assert.ok((await proofMetrics(createGit({ root: tempDir(), env: testEnv() }))).metrics_placeholder);
  const unborn = makeRepo({ files: { 'a.txt': 'a' }, commit: false });
  assert.ok((await proofMetrics(createGit({ root: unborn.dir, env: testEnv() }))).metrics_placeholder);
});

const base: PhaseProofInput = {
  runId: 'run-1',
  projectId: 'p',
  phaseId: 'phase-1',
  createdAt: new Date('2026-01-06T12:00:00Z'),
  completedAt: new Date('2026-01-06T12:05:30Z'),
  success: true,
  changes: { created: [], modified: [], deleted: [] },
  verificationSummary: 'Phase verification completed',
  metricsPlaceholder: false,
};

test('phase proof: durations, errors cut to 500, lists capped, never rejected', () => {
  const ok = buildPhaseProof(base);
  assert.equal([ok.proof_id, ok.duration_seconds, ok.error_summary, ok.changes.change_summary], ['run-1-phase-1', 330, null, 'No files modified']);
  assert.ok(validateArtifact('phase_proof', ok).ok);
  const failed = buildPhaseProof({ ...base, success: false, completedAt: new Date('2026-01-06T12:02:15Z'), errorSummary: `ERROR: ${'A'.repeat(600)}` });
  assert.equal([failed.duration_seconds, failed.error_summary!.length], [135, 500]);
  assert.ok(failed.error_summary!.startsWith('ERROR: AAA'));
  const many = Array.from({ length: 15 }, (_, i) => `${'x'.repeat(250)}-${i}.ts`);
  const big = buildPhaseProof({ ...base, changes: { created: [], modified: many, deleted: [] }, probes: Array(25).fill('probe'), contracts: Array(25).fill('c'), verificationSummary: 'v'.repeat(600) });
  assert.is(big.changes.key_changes.length, 10);
  assert.ok(big.changes.key_changes.every((entry) => entry.length <= 200));
  assert.is(big.verification.probes_executed.length, 20);
  assert.is(big.verification.verification_summary.length, 500);
  assert.ok(validateArtifact('phase_proof', big).ok);
  assert.match(big.changes.change_summary, /^Modified 15 files: .* \(\+10 more\)$/);
  assert.is(changeSummary({ created: [], modified: [], deleted: [] }, true), 'Phase execution completed (git metrics unavailable)');
  assert.is(proofFileName('phase 1/a'), 'phase_1_a.json');
});

test('render: success and failure, every section', () => {
  const proof = buildPhaseProof({
    ...base,
    completedAt: new Date('2026-01-06T12:02:30Z'),
    changes: { created: ['a.ts', 'b.ts'], modified: ['src/main.ts'], deleted: [] },
    testsPassed: 10,
    probes: ['probe-1'],
    contracts: ['contract-1'],
  });
  const text = renderPhaseProof(proof);
  for (const expected of ['✅ COMPLETED', 'phase-1', '150.0s', 'Modified 3 files: a.ts, b.ts, src/main.ts', 'Files created: 2', '- src/main.ts', 'Actions run without error: 10', '- probe-1', '- contract-1']) {
    assert.ok(text.includes(expected), expected);
  }
  const failed = renderPhaseProof(buildPhaseProof({ ...base, success: false, completedAt: new Date('2026-01-06T12:00:30Z'), testsFailed: 3, errorSummary: 'boom' }));
  for (const expected of ['❌ FAILED', '30.0s', 'Actions failed: 3', '## Error', 'boom']) assert.ok(failed.includes(expected), expected);
  // A blocked session whose verifications all found their gap still there is neither a success nor passed tests.
  const blocked = renderPhaseProof(buildPhaseProof({ ...base, testsPassed: 4, probes: ['a1 rescan_gap: still_present', 'a2 rescan_gap: still_present', 'a3 rerun_check: still_present', 'a4 rescan_gap: still_present'], verificationSummary: 'Session blocked_approval_required: 4 action(s) executed (0 failed), 3 approval request(s)' }));
  assert.match(blocked, /⏸ BLOCKED: waiting for approval/);
  assert.not.match(blocked, /SUCCESS|COMPLETED|Tests passed/);
  assert.match(blocked, /Verdicts: 0 resolved, 4 still present, 0 inconclusive/);
});

test('autopack proof show renders a file; an invalid one is exit 2 naming the field', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'proof.json'), JSON.stringify(buildPhaseProof(base)));
  const shown = await runBin(['proof', 'show', 'proof.json'], { cwd: dir });
  assert.is(shown.code, 0);
  assert.match(shown.stdout, /^# Phase proof run-1-phase-1\n\n✅ COMPLETED · phase phase-1 · run run-1 · 330\.0s/);
  writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...buildPhaseProof(base), duration_seconds: -1 }));
  const bad = await runBin(['proof', 'show', 'bad.json'], { cwd: dir });
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /bad\.json: not a valid PhaseProof:\n\s+\$\.duration_seconds: Value below minimum 0/);
});

test.run();
