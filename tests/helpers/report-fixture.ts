// A repository with one gap of each kind the output formats treat differently: lines known
// (conflict markers, a production DEBUG line), files without lines, a mechanical check that
// fails (command evidence, no file), and a path with the characters workflow commands and URIs
// must escape.
import { makeRepo, testEnv, type Fixture } from './git-fixture.ts';

/** A root file whose name has `,`, `:`, `%` and a space: escaped differently by every format. */
export const AWKWARD_PATH = 'NOTES, draft: 100%.md';

export function makeReportRepo(): Fixture {
  return makeRepo({
    name: 'shop',
    files: {
      'README.md': '# Shop\n',
      'docs/guide.md': 'Guide\n',
      'scripts/check_docs_drift.py': 'import sys\nprint("docs/index.md links to a missing page")\nprint("drift: 1 page", file=sys.stderr)\nsys.exit(1)\n',
      'src/app.ts': 'export const a = 1;\n',
    },
    worktree: {
      'docs/guide.md': 'Guide, edited by an agent\n',
      [AWKWARD_PATH]: 'scratch\n',
      '.env.production': 'NAME=shop\nDEBUG=true\n',
      'src/app.ts': 'export const a = 1;\n<<<<<<< HEAD\nexport const b = 2;\n=======\nexport const b = 3;\n>>>>>>> feature\n',
    },
  });
}

/** The environment of a scan whose output is byte-identical every time (fixed clock, durations 0). */
export function pinnedEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return testEnv({ SOURCE_DATE_EPOCH: '1767225600', GITHUB_STEP_SUMMARY: undefined, ...extra });
}

/**
 * A plugin detector (no docs page) that reports `counts[risk]` gaps of each risk, one line each
 * in `src/many.txt`: enough gaps to pass GitHub's annotation limits.
 */
export function makeManyGapsRepo(counts: Partial<Record<'high' | 'medium' | 'low', number>>): Fixture {
  const plugin = `export default {
  id: 'many_findings',
  title: 'Many findings',
  description: 'A test detector that reports a fixed number of gaps per risk',
  messages: { finding: { title: 'Finding {n} ({risk})', params: ['n', 'risk'], description: 'Finding number {n}', remediation: 'Remove line {n}' } },
  detect: () => Object.entries(${JSON.stringify(counts)}).flatMap(([risk, count]) =>
    Array.from({ length: count }, (_, i) => ({ inputs: [risk + '-' + i], risk, params: { n: i + 1, risk }, evidence: { file_paths: ['src/many.txt'], locations: [{ path: 'src/many.txt', line: i + 1 }] } }))),
};
`;
  return makeRepo({ files: { 'README.md': '# Many\n', 'src/many.txt': 'x\n', 'tools/many.mjs': plugin, 'autopack.config.yaml': 'plugins: [./tools/many.mjs]\n' } });
}
