// Runs the examples of a markdown document: ```<lang> file=PATH blocks are written into a
// demo repository, ```console blocks are run command by command (`$ autopack …`, argv split
// like a POSIX shell splits words, no expansion), and each command's output is compared with
// the lines shown under it. `[exit N]` shows a non-zero exit code; a trailing ` 2>&1` adds
// stderr after stdout. Outputs are produced with SOURCE_DATE_EPOCH=1767225600 and NO_COLOR.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { splitShellWords } from '../../lib/util/shell-words.ts';
import { BIN } from './cli.ts';
import { makeRepo, testEnv } from './git-fixture.ts';

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

export interface ExampleRun {
  /** The document with every console block's output replaced by what the commands printed. */
  actual: string;
  commands: number;
  files: number;
}

/** Runs every example of the document in a fresh demo repository. */
export function runDocExamples(markdown: string, extraEnv: Record<string, string> = {}): ExampleRun {
  const repo = demoRepository();
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
      const mergeStderr = words.at(-1) === '2>&1';
      if (mergeStderr) words = words.slice(0, -1);
      if (words[0] !== 'autopack' && words[0] !== 'git') throw new Error(`only autopack and git commands can be run: ${line}`);
      const result =
        words[0] === 'git'
          ? spawnSync('git', words.slice(1), { cwd: repo.dir, env, encoding: 'utf8', timeout: 60_000 })
          : spawnSync(process.execPath, [BIN, ...words.slice(1)], { cwd: repo.dir, env, encoding: 'utf8', timeout: 120_000 });
      commands += 1;
      out.push(line, ...`${result.stdout}${mergeStderr ? result.stderr : ''}`.split('\n').filter((l, i, all) => i < all.length - 1 || l !== ''));
      if (result.status !== 0) out.push(`[exit ${result.status}]`);
    }
    actual += `${markdown.slice(last, block.start)}\`\`\`console\n${out.join('\n')}\n\`\`\``;
    last = block.end;
  }
  actual += markdown.slice(last);
  return { actual, commands, files };
}
