// Runs the examples of a markdown document: ```<lang> file=PATH blocks are written into a
// demo repository, ```console blocks are run command by command (`$ autopack …`, argv split
// like a POSIX shell splits words, no expansion), and each command's output is compared with
// the lines shown under it. `[exit N]` shows a non-zero exit code; a trailing ` 2>&1` adds
// stderr after stdout, a trailing ` 2>&1 >/dev/null` shows stderr alone; the repository's own
// path is shown as /path/to/<its name>. Outputs are produced with SOURCE_DATE_EPOCH=1767225600
// and NO_COLOR.
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { splitShellWords } from '../../lib/util/shell-words.ts';
import { BIN, REPO_ROOT } from './cli.ts';
import { makeRepo, testEnv, type Fixture } from './git-fixture.ts';

export const DOC_EPOCH = '1767225600';

/** The demo repository of the README and the docs: drift, clutter and an edited protected file. */
export function demoRepository() {
  return makeRepo({
    name: 'demo',
    files: {
      'README.md': '# Demo\n',
      'docs/guide.md': 'Guide\n',
      'scripts/check_docs_drift.py': 'import sys\nprint("docs/index.md links to a missing page")\nsys.exit(1)\n',
    },
    worktree: { 'docs/guide.md': 'Guide, edited by an agent\n', 'NOTES.md': 'scratch\n' },
  });
}

/**
 * The repository of docs/PLUGINS.md: a small project with autopack installed as `npm i -D
 * autopack` leaves it (linked to this checkout, its dependencies valibot and tsx hoisted beside it),
 * so that plugins can import `autopack/plugin` and their tests run with `node`.
 */
export function pluginProjectRepository(): Fixture {
  const repo = makeRepo({
    name: 'shop',
    files: { 'README.md': '# Shop\n', '.gitignore': 'node_modules/\n', 'package.json': '{ "name": "shop", "private": true, "type": "module" }\n', 'src/app.js': 'export const answer = 42;\n' },
  });
  mkdirSync(join(repo.dir, 'node_modules'));
  for (const name of ['autopack', 'valibot', 'tsx']) symlinkSync(name === 'autopack' ? REPO_ROOT : join(REPO_ROOT, 'node_modules', name), join(repo.dir, 'node_modules', name));
  return repo;
}

export interface DocExampleOptions {
  /** The repository the examples run in (default: the demo repository). */
  repository?: () => Fixture;
  /** Programs besides autopack and git that console blocks may run (`node`: this Node). */
  programs?: readonly string[];
}

/** How each document's examples run; the docs test and tests/helpers/update-doc-examples.ts both use it. */
export const DOC_EXAMPLE_OPTIONS: Record<string, DocExampleOptions> = {
  'docs/PLUGINS.md': { repository: pluginProjectRepository, programs: ['node'] },
};

/** Splits a command line into argv (quotes only; nothing is expanded). */
export function shellWords(line: string): string[] {
  const words = splitShellWords(line);
  if (!words) throw new Error(`unterminated quote in: ${line}`);
  return words;
}

interface Block {
  lang: string;
  file?: string;
  body: string;
  start: number;
  end: number;
}

function blocks(markdown: string): Block[] {
  const found: Block[] = [];
  const fence = /^```([^\n]*)\n([\s\S]*?)^```$/gm;
  for (let match = fence.exec(markdown); match; match = fence.exec(markdown)) {
    const [lang = '', ...attrs] = match[1]!.trim().split(/\s+/);
    const file = attrs.find((attr) => attr.startsWith('file='))?.slice(5);
    found.push({ lang, ...(file ? { file } : {}), body: match[2]!, start: match.index, end: match.index + match[0].length });
  }
  return found;
}

/** The fenced blocks of a document: language, `file=` target and where each lies. */
export function fencedBlocks(markdown: string): Array<{ lang: string; file?: string }> {
  return blocks(markdown).map(({ lang, file }) => ({ lang, ...(file ? { file } : {}) }));
}

export interface ExampleRun {
  /** The document with every console block's output replaced by what the commands printed. */
  actual: string;
  commands: number;
  files: number;
}

/** Runs every example of the document in a fresh demo repository. */
export function runDocExamples(markdown: string, extraEnv: Record<string, string> = {}, options: DocExampleOptions = {}): ExampleRun {
  const repo = (options.repository ?? demoRepository)();
  const programs = ['autopack', 'git', ...(options.programs ?? [])];
  const env = testEnv({ SOURCE_DATE_EPOCH: DOC_EPOCH, NO_COLOR: '1', ...extraEnv }) as NodeJS.ProcessEnv;
  let actual = '';
  let last = 0;
  let commands = 0;
  let files = 0;
  for (const block of blocks(markdown)) {
    if (block.file) {
      const target = join(repo.dir, block.file);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, block.body);
      files += 1;
      continue;
    }
    if (block.lang !== 'console') continue;
    const out: string[] = [];
    for (const line of block.body.split('\n')) {
      if (!line.startsWith('$ ')) continue;
      let words = shellWords(line.slice(2));
      const stderrOnly = words.at(-2) === '2>&1' && words.at(-1) === '>/dev/null';
      if (stderrOnly) words = words.slice(0, -2);
      const mergeStderr = words.at(-1) === '2>&1';
      if (mergeStderr) words = words.slice(0, -1);
      if (!programs.includes(words[0]!)) throw new Error(`only ${programs.join(', ')} commands can be run: ${line}`);
      const result =
        words[0] === 'autopack'
          ? spawnSync(process.execPath, [BIN, ...words.slice(1)], { cwd: repo.dir, env, encoding: 'utf8', timeout: 120_000 })
          : spawnSync(words[0] === 'node' ? process.execPath : words[0]!, words.slice(1), { cwd: repo.dir, env, encoding: 'utf8', timeout: 120_000 });
      commands += 1;
      // The repository lies in a fresh temp folder: shown as /path/to/<name>, so outputs stay the same.
      const shownOutput = (stderrOnly ? result.stderr : `${result.stdout}${mergeStderr ? result.stderr : ''}`).replaceAll(repo.dir, `/path/to/${basename(repo.dir)}`);
      out.push(line, ...shownOutput.split('\n').filter((l, i, all) => i < all.length - 1 || l !== ''));
      if (result.status !== 0) out.push(`[exit ${result.status}]`);
    }
    actual += `${markdown.slice(last, block.start)}\`\`\`console\n${out.join('\n')}\n\`\`\``;
    last = block.end;
  }
  actual += markdown.slice(last);
  return { actual, commands, files };
}
