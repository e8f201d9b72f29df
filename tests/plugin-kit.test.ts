// The plugin kit: a minimal detector (id, title, detect) with a finding that gives only its
// evidence, placeholders checked when a plugin loads, notes without a doubled prefix, and
// testDetector running a detector through the real scanner against a real git repository.
import { AssertionError } from 'node:assert';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { gapId } from '../lib/gaps/ids.ts';
import { testDetector, type DetectorDefinition, type Finding } from '../lib/plugin.ts';
import { runBin } from './helpers/cli.ts';
import { makeRepo } from './helpers/git-fixture.ts';

const licenseMissing: DetectorDefinition = {
  id: 'license_missing',
  title: 'No LICENSE file',
  async detect(ctx) {
    return (await ctx.files()).includes('LICENSE') ? [] : [{ evidence: { file_paths: ['LICENSE'] } }];
  },
};

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

function pluginRepo(plugin: string, extra: Record<string, string> = {}) {
  return makeRepo({ files: { 'README.md': '# r\n', 'autopack.config.yaml': 'plugins: [./plugin.mjs]\n', 'plugin.mjs': plugin, ...extra } });
}

test('a minimal detector and a finding with only evidence: every default, a deterministic id', async () => {
  const report = await testDetector(licenseMissing, { 'README.md': '# r\n' }, [
    { gap_type: 'license_missing', message_id: 'default', title: 'No LICENSE file', description: 'No LICENSE file', risk: 'medium', blocks_autopilot: false, file_paths: ['LICENSE'] },
  ]);
  const gap = report.gaps[0]!;
  assert.is(gap.gap_id, gapId('license_missing', ['LICENSE', 'message:default']));
  assert.is(gap.safe_remediation!.approach, 'Review and fix: No LICENSE file');
  await testDetector(licenseMissing, { LICENSE: 'MIT\n' }, []);
  // Listed with the defaults: gap type = id, scope repo (it is skipped in partial scans, where it could not judge).
  const repo = pluginRepo(`export default { id: 'license_missing', title: 'No LICENSE file', detect: () => [] };\n`);
  const list = await runBin(['detectors', 'list', '--format', 'json'], { cwd: repo.dir });
  const row = (JSON.parse(list.stdout) as Array<Record<string, unknown>>).find((entry) => entry.id === 'license_missing');
  assert.equal(row, { ...row, gap_type: 'license_missing', description: 'No LICENSE file', scope: 'repo', risk: 'medium', blocks_autopilot: false, builtin: false, source: './plugin.mjs' });
});

test('findings without inputs that would share an id are an invalid finding, not a silently lost gap', async () => {
  const twice: DetectorDefinition = { id: 'twice', title: 'Twice', detect: () => [{ evidence: { file_paths: ['a', 'b'] } }, { evidence: { file_paths: ['b', 'a'] } }] };
  const report = await testDetector(twice, {}, [{ message_id: 'default', file_paths: ['a', 'b'] }, { message_id: 'invalid_finding' }]);
  assert.match(report.gaps.find((gap) => gap.message_id === 'invalid_finding')!.description!, /\$\[1\]\.inputs: missing, and the default .* is the same as \$\[0\]'s/);
});

test('a placeholder no param declares is a load error naming the plugin, the message and the placeholder', async () => {
  const repo = pluginRepo(`export default { id: 'probe', title: 'Probe', messages: { found: { title: '{count} things in {where}', params: ['count'] } }, detect: () => [] };\n`);
  const result = await runBin(['gaps', 'scan'], { cwd: repo.dir });
  assert.is(result.code, 2);
  assert.is(result.stdout, '');
  assert.match(result.stderr, /\.\/plugin\.mjs: not a valid detector:\n\s+\$\.messages\.found\.title: placeholder \{where\} is not declared in params \(\[count\]\)/);
  for (const [definition, pattern] of [
    [{ title: 'Probe', messages: { m: { title: 'n', signals: ['{n} left'] } } }, /\$\.messages\.m\.signals\[0\]: placeholder \{n\} is not declared in params \(none declared\)/],
    [{ title: 'Probe', messages: { m: { title: 'plain', params: ['n'] } } }, /\$\.messages\.m\.params: declares 'n', which none of its texts use/],
    [{ title: '{n} probes' }, /\$\.title: placeholder \{n\} is not declared in params: a detector without `messages` has none/],
  ] as const) {
    const error = await rejection(testDetector({ id: 'probe', detect: () => [], ...definition } as DetectorDefinition, {}, []));
    assert.match(error.message, pattern);
  }
});

test('a declared param a finding does not give is an invalid finding; given, it fills every text', async () => {
  const counted: DetectorDefinition = {
    id: 'counted',
    title: 'Counted',
    messages: { found: { title: '{count} things in {where}', params: ['count', 'where'], signals: ['{count} seen'] } },
    detect: (ctx) => [{ params: (ctx.options as { half?: boolean }).half ? { count: 2 } : { count: 2, where: 'docs' } } as Finding],
  };
  await testDetector(counted, {}, [{ params: { count: 2, where: 'docs' }, signals: ['2 seen'] }]);
  const report = await testDetector(counted, {}, [{ message_id: 'invalid_finding' }], { options: { half: true } });
  assert.match(report.gaps[0]!.description!, /\$\[0\]\.params: no value for \{where\} of message 'found'/);
});

test("ctx.note is prefixed with the detector's id once, whether or not the note already has it", async () => {
  const repo = pluginRepo(`export default { id: 'license_missing', title: 'L', detect(ctx) { ctx.note('checked'); ctx.note('license_missing: looked at LICENSE'); return []; } };\n`);
  const result = await runBin(['gaps', 'scan', '--format', 'text', '--fail-on', 'never', '--only', 'license_missing'], { cwd: repo.dir });
  assert.match(result.stdout, /^note {5}license_missing: checked$/m);
  assert.match(result.stdout, /^note {5}license_missing: looked at LICENSE$/m);
  assert.not.match(result.stdout, /license_missing: license_missing:/);
});

test('testDetector: committed, staged, modified, deleted and untracked files are what git says they are', async () => {
  const status: DetectorDefinition = {
    id: 'status_probe',
    title: 'Status',
    messages: { entry: { title: '{code} {path}', params: ['code', 'path'] } },
    async detect(ctx) {
      const { entries } = await ctx.status();
      return entries.map((entry) => ({ inputs: [entry.path], params: { code: `${entry.x}${entry.y}`, path: entry.path } }));
    },
  };
  await testDetector(
    status,
    {
      'kept.md': 'same\n',
      'new-staged.md': { staged: 'new\n' },
      'changed.md': { committed: 'old\n', worktree: 'new\n' },
      'gone.md': { committed: 'x\n', worktree: null },
      'removed.md': { committed: 'x\n', staged: null },
      'scratch.md': { worktree: 'n\n' },
      'bytes.bin': new Uint8Array([0, 1, 2]),
    },
    [{ title: 'A  new-staged.md' }, { title: ' M changed.md' }, { title: ' D gone.md' }, { title: 'D  removed.md' }, { title: '?? scratch.md' }],
  );
});

test('testDetector: a mismatch is an AssertionError with a diff; a failing detector is named with its error', async () => {
  const mismatch = await rejection(testDetector(licenseMissing, { 'README.md': '# r\n' }, [{ file_paths: ['COPYING'] }]));
  assert.instance(mismatch, AssertionError);
  assert.match(mismatch.message, /testDetector\(license_missing\): the gaps differ from the expected ones \(1 expected gap\(s\) not found, 1 unexpected gap\(s\)\)/);
  assert.match(mismatch.message, /\+\s+'LICENSE'\n-\s+'COPYING'/);
  const unexpected = await rejection(testDetector(licenseMissing, {}, []));
  assert.match(unexpected.message, /0 expected gap\(s\) not found, 1 unexpected gap\(s\)[\s\S]*message_id: 'default'/);
  const boom = await rejection(testDetector({ id: 'boom', title: 'Boom', detect: () => { throw new Error('cannot read the list'); } }, {}, []));
  assert.instance(boom, AssertionError);
  assert.match(boom.message, /testDetector\(boom\): Detector boom threw an error, so its part of the workspace was not checked: cannot read the list/);
  const typo = await rejection(testDetector(licenseMissing, {}, [{ messageId: 'default' } as never]));
  assert.match(typo.message, /invalid expected gaps:\n\s+\$\[0\]: Unknown key 'messageId'|invalid expected gaps:[\s\S]*messageId/);
});

test('testDetector: options go through the schema, partial scans and skips are reported, writes are caught', async () => {
  const marker: DetectorDefinition<{ marker: string }> = {
    id: 'marker',
    title: 'Marker',
    scope: 'files',
    messages: { found: { title: '{marker} in {count} files', params: ['marker', 'count'] } },
    async detect(ctx) {
      const hits: string[] = [];
      for (const path of await ctx.files()) if ((await ctx.readText(path))?.includes(ctx.options.marker)) hits.push(path);
      return hits.length > 0 ? [{ params: { marker: ctx.options.marker, count: hits.length }, evidence: { file_paths: hits } }] : [];
    },
  };
  const files = { 'a.md': 'FIXME\n', 'b.md': { worktree: 'FIXME too\n' }, 'c.md': 'fine\n' };
  await testDetector(marker, files, [{ params: { marker: 'FIXME', count: 2 }, file_paths: ['a.md', 'b.md'] }], { options: { marker: 'FIXME' } });
  // A staged scan sees only the index's changes: b.md is untracked, a.md unchanged.
  await testDetector(marker, { ...files, 'd.md': { staged: 'FIXME\n' } }, [{ file_paths: ['d.md'] }], { options: { marker: 'FIXME' }, scope: { mode: 'staged' } });
  await testDetector({ ...marker, scope: 'repo' }, files, [], { options: { marker: 'FIXME' }, scope: { mode: 'staged' }, skipped: 'judges the whole repository' });
  const notRun = await rejection(testDetector({ ...marker, isEnabled: () => 'no FIXME policy here' }, files, []));
  assert.match(notRun.message, /testDetector\(marker\): the detector did not run: no FIXME policy here/);
  const writer: DetectorDefinition = {
    id: 'writer',
    title: 'Writer',
    async detect(ctx) {
      (await import('node:fs')).writeFileSync(`${ctx.root}/written.txt`, 'x');
      return [];
    },
  };
  const wrote = await rejection(testDetector(writer, { 'a.md': 'a\n' }, []));
  assert.match(wrote.message, /testDetector\(writer\): the scan changed the repository \(a detector must be read-only\): .*written\.txt/);
});

test.run();
