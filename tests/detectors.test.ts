// Every built-in detector against its fixtures (tests/fixtures/detectors/<id>/{clean,finding…}):
// the expected gaps, nothing else, and the workspace left exactly as it was.
import { readdirSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { scanGaps } from '../lib/gaps/scan-gaps.ts';
import { fileNameForId, loadRegistry } from '../lib/registry/load.ts';
import { fixedClock } from '../lib/util/clock.ts';
import { buildFixture, FIXTURES_DIR, listFixtureCases, type ExpectedGap } from './helpers/detector-fixture.ts';
import { gitIn, snapshotTree, testEnv } from './helpers/git-fixture.ts';

const registry = await loadRegistry();
const cases = listFixtureCases();

test('every built-in detector has a clean and a finding fixture', () => {
  for (const id of registry.detectors.keys()) {
    const folder = fileNameForId(id);
    const names = readdirSync(`${FIXTURES_DIR}${folder}`);
    assert.ok(names.some((n) => n.startsWith('clean')), `${folder}: clean fixture`);
    assert.ok(names.some((n) => n.startsWith('finding')), `${folder}: finding fixture`);
  }
  for (const { detector } of cases) assert.ok(registry.detectors.has(detector.replace(/-/g, '_')), `fixture folder ${detector} names a detector`);
});

for (const fixture of cases) {
  const id = fixture.detector.replace(/-/g, '_');
  test(`${fixture.detector}/${fixture.name}: ${fixture.spec.description}`, async () => {
    const { root, configPath, clock } = buildFixture(fixture);
    const isRepo = fixture.spec.git !== false;
    // git status first: it may refresh the index, which must not be blamed on the detector.
    const statusBefore = isRepo ? gitIn(root, ['status', '--porcelain=v1', '-z', '--untracked-files=all']) : '';
    const before = snapshotTree(root);

    const { report } = await scanGaps({ workspace: root, cwd: root, env: testEnv(), only: [id], clock: fixedClock(clock), configPath });

    assert.equal(snapshotTree(root), before, 'the detector changed nothing in the workspace (including .git)');
    if (isRepo) assert.is(gitIn(root, ['status', '--porcelain=v1', '-z', '--untracked-files=all']), statusBefore, 'git status unchanged');
    assert.not.ok(report.gaps.some((gap) => gap.gap_type === 'unknown'), `detector failed: ${JSON.stringify(report.gaps.find((g) => g.gap_type === 'unknown'))}`);
    const gaps = report.gaps;
    assert.is(gaps.length, fixture.spec.expect.length, `gaps: ${JSON.stringify(gaps.map((g) => [g.gap_id, g.title]))}`);
    fixture.spec.expect.forEach((expected: ExpectedGap, index) => {
      const gap = gaps[index]!;
      const label = `gap ${index} (${gap.gap_id})`;
      if (expected.gap_id) assert.is(gap.gap_id, expected.gap_id, label);
      assert.is(gap.gap_type, expected.gap_type ?? id, label);
      assert.is(gap.detector, id, label);
      assert.is(gap.message_id, expected.message_id, label);
      if (expected.title) assert.is(gap.title, expected.title, label);
      if (expected.risk_classification) assert.is(gap.risk_classification, expected.risk_classification, label);
      if (expected.blocks_autopilot !== undefined) assert.is(gap.blocks_autopilot, expected.blocks_autopilot, label);
      if (expected.file_paths) assert.equal(gap.evidence?.file_paths, expected.file_paths, label);
      if (expected.test_names) assert.equal(gap.evidence?.test_names, expected.test_names, label);
      if (expected.exit_code !== undefined) assert.is(gap.evidence?.command_evidence?.exit_code, expected.exit_code, label);
      for (const signal of expected.signals_include ?? []) {
        assert.ok(gap.detection_signals.some((s) => s.includes(signal)), `${label}: signal containing '${signal}' in ${JSON.stringify(gap.detection_signals)}`);
      }
    });
    const notes = [...(report.metadata?.notes ?? []), ...(report.metadata?.skipped_detectors ?? []).map((s) => `${s.detector}: ${s.reason}`)];
    for (const note of fixture.spec.notes_include ?? []) {
      assert.ok(notes.some((n) => n.includes(note)), `note '${note}' in ${JSON.stringify(notes)}`);
    }
  });
}

test('all detectors together, on every fixture, leave the workspace exactly as it was', async () => {
  for (const fixture of cases) {
    const { root, configPath, clock } = buildFixture(fixture);
    const isRepo = fixture.spec.git !== false;
    const status = isRepo ? gitIn(root, ['status', '--porcelain=v1', '-z', '--untracked-files=all']) : '';
    const before = snapshotTree(root);
    const { report } = await scanGaps({ workspace: root, cwd: root, env: testEnv(), clock: fixedClock(clock), configPath });
    assert.equal(snapshotTree(root), before, `${fixture.detector}/${fixture.name}: tree unchanged`);
    if (isRepo) assert.is(gitIn(root, ['status', '--porcelain=v1', '-z', '--untracked-files=all']), status, `${fixture.detector}/${fixture.name}: git status unchanged`);
    assert.not.ok(report.gaps.some((gap) => gap.gap_type === 'unknown'), `${fixture.detector}/${fixture.name}: no detector failed`);
  }
});

test.run();
