// The files `autopack detectors new ID` writes: a working example detector (files left behind by
// merges and patches) to edit, a failing and a passing fixture, and a test that runs both
// through testDetector with plain node. The fixtures are JSON, so the example's own fixture
// files never show up as findings when the workspace itself is scanned.
import type { ScaffoldFile, ScaffoldNames } from './scaffold.ts';

function detectorModule(names: ScaffoldNames, typescript: boolean): string {
  const { id, file } = names;
  const head = [
    `// The ${id} detector, an autopack plugin. The config registers it:`,
    `//   plugins: [./${names.dir}/${file}]   (autopack.config.yaml)`,
    `// Its test: ${names.testCommand}`,
    '// The example flags files left behind by merges and patches (*.orig, *.rej): replace',
    '// detect() and the wording with what your project needs.',
  ];
  const options = 'suffixes?: string[]';
  const definition = [
    `  id: '${id}',`,
    `  title: '${names.title}',`,
    "  description: 'Files left behind by merges and patches (*.orig, *.rej).',",
    "  scope: 'files',",
    "  default: { risk: 'low', blocks_autopilot: false },",
    '  messages: {',
    '    found: {',
    "      title: '{count} leftover files',",
    "      params: ['count'],",
    "      description: 'Found {count} files left behind by a merge or a patch',",
    "      remediation: 'Delete them once the merge or the patch is done',",
    '    },',
    '  },',
    '  async detect(ctx) {',
    "    const suffixes = ctx.options.suffixes ?? ['.orig', '.rej'];",
    '    const hits = (await ctx.files()).filter((path) => suffixes.some((suffix) => path.endsWith(suffix)));',
    '    // No inputs: the gap id comes from the evidence paths (sorted) and the message id.',
    '    return hits.length === 0 ? [] : [{ params: { count: hits.length }, evidence: { file_paths: hits } }];',
    '  },',
  ];
  if (typescript) {
    return [...head, "import type { DetectorDefinition } from 'autopack/plugin';", '', `interface Options { ${options} }`, '', `const detector: DetectorDefinition<Options> = {`, ...definition, '};', '', 'export default detector;', ''].join('\n');
  }
  return [...head, '', `/** @type {import('autopack/plugin').DetectorDefinition<{ ${options} }>} */`, 'export default {', ...definition, '};', ''].join('\n');
}

function detectorTest(names: ScaffoldNames): string {
  return [
    `// Runs ${names.id} on its fixtures, each in a temporary git repository:`,
    `//   ${names.testCommand}`,
    '// exits 0 when both pass. testDetector throws an AssertionError with a diff otherwise, so it',
    '// works inside any test runner too (node:test, vitest, mocha, uvu).',
    "import { readFileSync } from 'node:fs';",
    "import { testDetector } from 'autopack/plugin';",
    `import detector from './${names.file}';`,
    '',
    "for (const name of ['failing', 'passing']) {",
    `  const fixture = JSON.parse(readFileSync(new URL(\`./fixtures/${names.base}/\${name}.json\`, import.meta.url), 'utf8'));`,
    `  await testDetector(detector, fixture.files, fixture.expect, fixture.options === undefined ? {} : { options: fixture.options });`,
    "  console.log(`ok ${detector.id} ${name}: ${fixture.description}`);",
    '}',
    '',
  ].join('\n');
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export function detectorScaffold(names: ScaffoldNames, typescript: boolean): ScaffoldFile[] {
  const fixtures = `${names.dir}/fixtures/${names.base}`;
  return [
    { path: `${names.dir}/${names.file}`, content: detectorModule(names, typescript) },
    { path: `${names.dir}/${names.testFile}`, content: detectorTest(names) },
    {
      path: `${fixtures}/failing.json`,
      content: json({
        description: 'a merge left src/app.js.orig behind',
        files: { 'src/app.js': 'export const answer = 42;\n', 'src/app.js.orig': 'export const answer = 41;\n' },
        expect: [{ message_id: 'found', params: { count: 1 }, file_paths: ['src/app.js.orig'] }],
      }),
    },
    {
      path: `${fixtures}/passing.json`,
      content: json({ description: 'nothing left behind', files: { 'src/app.js': 'export const answer = 42;\n' }, expect: [] }),
    },
  ];
}
