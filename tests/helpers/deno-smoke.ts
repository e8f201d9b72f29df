import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { makeRepo, testEnv } from './git-fixture.ts';

/**
 * Runs `deno run -A bin/autopack.ts gaps scan` and the compiled Node CLI on the same
 * fixture and compares the gap ids: the sources must behave the same on both runtimes.
 */
export async function runDenoSmoke(root: string): Promise<{ ok: boolean; summary: string; output: string }> {
  const fixture = makeRepo({
    files: {
      'README.md': '# fixture\n',
      'docs/guide.md': 'guide\n',
      'NOTES.md': 'notes\n',
      'docs/NOTES.md': 'other notes\n',
      'scripts/check_docs_drift.py': 'import sys\nprint("drift found")\nsys.exit(1)\n',
      // A TypeScript plugin: Node loads it by type stripping or through tsx, Deno runs it natively.
      'autopack.config.yaml': 'plugins: [./tools/todo.ts]\n',
      'tools/todo.ts': [
        'const limit: number = 1;',
        'export default {',
        "  id: 'todo_marker', gap_type: 'todo_marker', title: 'TODO', description: 'd', scope: 'files' as const,",
        "  default: { risk: 'low' as const, blocks_autopilot: false },",
        "  messages: { found: { title: '{count} TODO files', params: ['count'], description: 'd', signals: [], remediation: 'r' } },",
        '  async detect(ctx: { files(): Promise<readonly string[]>; readFile(p: string): Promise<Uint8Array | undefined> }) {',
        '    const hits: string[] = [];',
        "    for (const path of await ctx.files()) if (new TextDecoder().decode(await ctx.readFile(path)).includes('TODO')) hits.push(path);",
        '    return hits.length >= limit ? [{ inputs: hits, params: { count: hits.length } }] : [];',
        '  },',
        '};',
        '',
      ].join('\n'),
    },
    worktree: { 'docs/guide.md': 'changed\n', 'PLAN_X.md': 'plan TODO\n' },
  });
  const args = ['gaps', 'scan', '--workspace', fixture.dir, '--fail-on', 'never'];
  const env = testEnv({ SOURCE_DATE_EPOCH: '1767225600', NO_COLOR: '1' }) as NodeJS.ProcessEnv;
  const deno = spawnSync(process.execPath, [join(root, 'node_modules/deno/bin.cjs'), 'run', '-A', join(root, 'bin/autopack.ts'), ...args], {
    cwd: root,
    env,
    encoding: 'utf8',
    timeout: 180_000,
  });
  const node = spawnSync(process.execPath, [join(root, 'dist/cli/bin/autopack.js'), ...args], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
  // and the bundled CLI itself under Deno (it reads node's builtins through process.getBuiltinModule)
  const denoBundle = spawnSync(process.execPath, [join(root, 'node_modules/deno/bin.cjs'), 'run', '-A', join(root, 'dist/cli/bin/autopack.js'), ...args], { cwd: root, env, encoding: 'utf8', timeout: 180_000 });
  const output = `deno exit ${deno.status}\n${deno.stderr}\nnode exit ${node.status}\n${node.stderr}\ndeno (bundle) exit ${denoBundle.status}\n${denoBundle.stderr}`;
  try {
    const ids = (text: string) => (JSON.parse(text) as { gaps: Array<{ gap_id: string }> }).gaps.map((gap) => gap.gap_id);
    const fromDeno = ids(deno.stdout);
    const fromNode = ids(node.stdout);
    const same = JSON.stringify(fromDeno) === JSON.stringify(fromNode) && fromNode.length >= 3 && fromNode.some((id) => id.startsWith('todo_marker-'));
    const identical = deno.stdout === node.stdout;
    const bundleIdentical = denoBundle.status === 0 && denoBundle.stdout === node.stdout;
    return {
      ok: same && deno.status === 0 && node.status === 0 && bundleIdentical,
      summary: `${fromDeno.length} gap ids from Deno, ${fromNode.length} from Node, ${same ? 'same ids' : 'DIFFERENT ids'}${identical ? ', byte-identical reports' : ''}; the bundled CLI on Deno: ${bundleIdentical ? 'the same bytes' : 'DIFFERENT'}`,
      output: `${output}\ndeno: ${fromDeno.join(' ')}\nnode: ${fromNode.join(' ')}`,
    };
  } catch (error) {
    return { ok: false, summary: `could not compare: ${(error as Error).message}`, output: `${output}\n${deno.stdout}\n${node.stdout}` };
  }
}
