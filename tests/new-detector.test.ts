// A gap type is its detector: in a copy of this repository, a new built-in detector is added as
// its file, its two fixtures and its doc page — nothing else is edited — and after the generator
// runs (npm run registry) it is scanned, planned with its own remediation, validated, documented
// and tested by the fixture suite.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REPO_ROOT } from './helpers/cli.ts';
import { gitIn, makeRepo, tempDir, testEnv } from './helpers/git-fixture.ts';

const DETECTOR = `import { defineDetector } from '../lib/registry/types.ts';

export default defineDetector({
  id: 'license_missing',
  title: 'License missing',
  description: 'A repository without a LICENSE file at its root.',
  scope: 'files',
  default: { risk: 'low', blocks_autopilot: false },
  messages: { missing: { title: 'No LICENSE file', remediation: 'Add a LICENSE file' } },
  remediation: [
    {
      action_type: 'doc_update',
      title: 'Add a license: {title}',
      description: 'Choose a license and add it as LICENSE',
      risk_score: 0.3,
      rollback: () => 'rm -- LICENSE',
    },
  ],
  async detect(ctx) {
    const present = (await ctx.files()).some((path) => /^licen[cs]e(\\.|$)/i.test(path));
    return present ? [] : [{ inputs: ['LICENSE'], evidence: { file_paths: ['LICENSE'] } }];
  },
});
`;

const PAGE = '# `license_missing`\n\nA repository without a LICENSE file at its root: one low gap. It has no options.\n';

function write(root: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

/** A copy of the repository as git sees it (tracked and untracked, not ignored), with this one's node_modules. */
function copyRepository(): string {
  const copy = tempDir('autopack-copy-');
  for (const path of gitIn(REPO_ROOT, ['ls-files', '--cached', '--others', '--exclude-standard', '-z']).split('\0').filter((p) => p !== '')) {
    mkdirSync(dirname(join(copy, path)), { recursive: true });
    cpSync(join(REPO_ROOT, path), join(copy, path));
  }
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(copy, 'node_modules'));
  return copy;
}

function tsx(cwd: string, args: string[]): string {
  return execFileSync(process.execPath, ['--import', 'tsx', ...args], { cwd, env: testEnv() as NodeJS.ProcessEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

test('a new built-in detector needs only its file, its fixtures and its page', async () => {
  const copy = copyRepository();
  write(copy, {
    'detectors/license-missing.ts': DETECTOR,
    'tests/fixtures/detectors/license-missing/clean/fixture.json': JSON.stringify({ description: 'a LICENSE at the root', expect: [] }),
    'tests/fixtures/detectors/license-missing/clean/commit/LICENSE': 'MIT\n',
    'tests/fixtures/detectors/license-missing/finding/fixture.json': JSON.stringify({
      description: 'no LICENSE',
      expect: [{ message_id: 'missing', risk_classification: 'low', file_paths: ['LICENSE'] }],
    }),
    'tests/fixtures/detectors/license-missing/finding/commit/README.md': '# r\n',
    'docs/detectors/license-missing.md': PAGE,
  });
  tsx(copy, ['tests/helpers/registry-index.ts']);

  // Scanned, with its own rule id; validated against the gap types the registry knows.
  const repo = makeRepo({ files: { 'README.md': '# r\n' } });
  const scan = JSON.parse(tsx(copy, ['bin/autopack.ts', 'gaps', 'scan', '--workspace', repo.dir, '--only', 'license_missing', '--write']));
  assert.equal(scan.gaps.map((gap: { gap_type: string; detector: string; message_id: string }) => [gap.gap_type, gap.detector, gap.message_id]), [['license_missing', 'license_missing', 'missing']]);
  const reportPath = join(repo.dir, `.autonomous_runs/${scan.project_id}/runs/local/gaps/gap_report_v1.json`);
  tsx(copy, ['bin/autopack.ts', 'validate', reportPath]);

  // Planned with the remediation it declares.
  const anchor = join(tempDir(), 'anchor.json');
  tsx(copy, ['bin/autopack.ts', 'anchor', 'init', '--workspace', repo.dir, '--out', anchor]);
  const plan = JSON.parse(tsx(copy, ['bin/autopack.ts', 'plan', 'propose', '--workspace', repo.dir, '--anchor-path', anchor]));
  const own = plan.actions.find((action: { action_type: string }) => action.action_type !== 'verify');
  assert.equal([own.action_type, own.title, own.rollback_strategy], ['doc_update', 'Add a license: No LICENSE file', 'rm -- LICENSE']);

  // Documented and covered by the fixture suite, like every built-in.
  const pages = tsx(copy, ['-e', "import('./tests/helpers/detector-pages.ts').then(async (m) => console.log(JSON.stringify(await m.detectorPageProblems(process.cwd()))))"]);
  assert.equal(JSON.parse(pages), []);
  const fixtures = tsx(copy, ['tests/detectors.test.ts']);
  assert.match(fixtures, /Total:\s+\d+[\s\S]*Passed:/);
  assert.not.match(fixtures, /FAIL/);
  // The generator listed it: the registry index and the detectors' table.
  assert.match(tsx(copy, ['-e', "import('./lib/registry/builtin-index.ts').then((m) => console.log(m.BUILTIN_DETECTORS.map((d) => d.id).join(',')))"]), /license_missing/);
});

test.run();
