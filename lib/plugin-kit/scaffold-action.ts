// The files `autopack actions new ID` writes: a read-only verify handler (it re-runs the
// detectors behind its gaps, so it can be auto-approved and executed by `autopilot run`) and a
// test that runs its run() with plain node against a small stand-in context.
import type { ScaffoldFile, ScaffoldNames } from './scaffold.ts';

function actionModule(names: ScaffoldNames, verifies: readonly string[], typescript: boolean): string {
  const head = [
    `// The ${names.id} action handler, an autopack plugin. The config registers it:`,
    `//   plugins: [./${names.dir}/${names.file}]   (autopack.config.yaml)`,
    `// Its test: ${names.testCommand}`,
    '// The planner proposes a verify action for every gap of the types in `verifies`; being',
    '// read-only, it can be auto-approved and executed by `autopack autopilot run --enable`.',
    '// A command it runs must be a configured check (ctx.checks(detectorId)) or on the read-only',
    "// allowlist: see autopack's docs/PLUGINS.md.",
  ];
  const definition = [
    `  id: '${names.id}',`,
    `  title: '${names.title}',`,
    "  description: 'Re-runs the detectors behind its gaps and reports whether the gaps are still there',",
    "  action_types: ['verify'],",
    "  effects: ['read_only'],",
    `  verifies: [${verifies.map((type) => `'${type}'`).join(', ')}],`,
    '  async run(ctx, action) {',
    "    if (ctx.gaps.length === 0) return { success: false, summary: 'no target gap', error: `${action.action_id} names no gap` };",
    '    const report = await ctx.rescan(ctx.gaps);',
    '    const present = new Set(report.gaps.map((gap) => gap.gap_id));',
    '    const still = ctx.gaps.filter((gap) => present.has(gap.gap_id));',
    '    return {',
    '      success: true,',
    "      verdict: still.length > 0 ? 'still_present' : 'resolved',",
    "      summary: still.length > 0 ? `still present: ${still.map((gap) => gap.gap_id).join(', ')}` : 'resolved',",
    '    };',
    '  },',
  ];
  if (typescript) return [...head, "import type { ActionDefinition } from 'autopack/plugin';", '', 'const handler: ActionDefinition = {', ...definition, '};', '', 'export default handler;', ''].join('\n');
  return [...head, '', "/** @type {import('autopack/plugin').ActionDefinition} */", 'export default {', ...definition, '};', ''].join('\n');
}

function actionTest(names: ScaffoldNames): string {
  return [
    `// A unit test of ${names.id}, run with:`,
    `//   ${names.testCommand}`,
    '// The context is a stand-in with only what run() uses; `autopack autopilot run --enable`',
    '// runs the handler for real.',
    "import assert from 'node:assert/strict';",
    `import handler from './${names.file}';`,
    '',
    "const gap = { gap_id: 'example-000000000000', gap_type: 'example', title: 'An example gap' };",
    "const action = { action_id: 'action-000000000000', action_type: 'verify', target_gap_ids: [gap.gap_id] };",
    'const context = (present) => ({ gaps: [gap], rescan: async () => ({ gaps: present ? [gap] : [] }) });',
    '',
    "assert.deepEqual(handler.effects, ['read_only'], 'read-only, so it can be auto-approved');",
    "assert.equal((await handler.run(context(false), action)).verdict, 'resolved');",
    "assert.equal((await handler.run(context(true), action)).verdict, 'still_present');",
    'console.log(`ok ${handler.id}`);',
    '',
  ].join('\n');
}

export function actionScaffold(names: ScaffoldNames, verifies: readonly string[], typescript: boolean): ScaffoldFile[] {
  return [
    { path: `${names.dir}/${names.file}`, content: actionModule(names, verifies, typescript) },
    { path: `${names.dir}/${names.testFile}`, content: actionTest(names) },
  ];
}
