// `gaps scan --format github`: workflow commands GitHub Actions turns into annotations, escaped
// by GitHub's rules, capped at GitHub's 10 per level, and a Markdown step summary appended to
// $GITHUB_STEP_SUMMARY only when that variable names a file.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { annotationLine, escapeData, escapeProperty, markdownCell } from '../lib/report/github-commands.ts';
import { runBin, runInProcess } from './helpers/cli.ts';
import { snapshotTree, tempDir } from './helpers/git-fixture.ts';
import { makeManyGapsRepo, makeReportRepo, pinnedEnv } from './helpers/report-fixture.ts';

/** What the runner does with a command: the inverse of the escaping. */
const unescapeData = (text: string) => text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
const unescapeProperty = (text: string) => unescapeData(text.replace(/%3A/g, ':').replace(/%2C/g, ','));

function parseCommand(line: string): { level: string; properties: Record<string, string>; message: string } {
  const match = /^::(error|warning|notice)(?: ([^:]*))?::(.*)$/.exec(line);
  assert.ok(match, `a workflow command: ${line}`);
  const properties: Record<string, string> = {};
  for (const pair of match![2]?.split(',') ?? []) {
    const [key, value] = pair.split('=') as [string, string];
    properties[key] = unescapeProperty(value);
  }
  return { level: match![1]!, properties, message: unescapeData(match![3]!) };
}

const shop = makeReportRepo();

test('escaping follows GitHub: %, CR, LF in data; also : and , in properties; round-trips', () => {
  assert.is(escapeData('100% done\r\nnext: a, b'), '100%25 done%0D%0Anext: a, b');
  assert.is(escapeProperty('100% done\r\nnext: a, b'), '100%25 done%0D%0Anext%3A a%2C b');
  const line = annotationLine({ level: 'warning', file: 'a,b: c%.md', line: 3, title: 'T: x, y', message: 'one\ntwo %0A' });
  assert.is(line, '::warning file=a%2Cb%3A c%25.md,line=3,title=T%3A x%2C y::one%0Atwo %250A');
  assert.equal(parseCommand(line), { level: 'warning', properties: { file: 'a,b: c%.md', line: '3', title: 'T: x, y' }, message: 'one\ntwo %0A' });
  assert.is(markdownCell('a|b\n<x> *y*'), 'a\\|b \\<x\\> \\*y\\*');
});

test('one annotation per gap on its first line or file, level from risk, properly escaped', async () => {
  const result = await runBin(['gaps', 'scan', '--format', 'github'], { cwd: shop.dir, env: pinnedEnv() });
  assert.is(result.code, 1);
  const commands = result.stdout.trimEnd().split('\n').map(parseCommand);
  assert.is(commands.length, 5);
  const debug = commands.find((command) => command.properties.file === '.env.production')!;
  assert.is(debug.level, 'error');
  assert.is(debug.properties.line, '2');
  assert.is(debug.properties.title, 'DEBUG enabled in production configs: 1 files');
  assert.match(debug.message, /^Found 1 lines enabling DEBUG in 1 production config files\nFix: Set DEBUG off/);
  assert.match(debug.message, /\nproduction_config_debug-[0-9a-f]{12} \(high, blocks autopilot\)$/);
  const clutter = commands.find((command) => command.properties.file === 'NOTES, draft: 100%.md')!;
  assert.is(clutter.level, 'warning');
  assert.ok(result.stdout.includes('file=NOTES%2C draft%3A 100%25.md,title=Root clutter%3A 1 files should be in docs/::'), 'the raw line is escaped');
  const drift = commands.find((command) => command.properties.title === 'Documentation drift detected')!;
  assert.is(drift.properties.file, undefined, 'a gap without a file annotates the run');
  assert.equal(commands.map((command) => command.level), ['error', 'error', 'error', 'warning', 'warning']);
});

test('at most 10 per level, then one notice saying how many more (it takes a notice slot itself)', async () => {
  const repo = makeManyGapsRepo({ high: 12, medium: 3, low: 11 });
  const result = await runBin(['gaps', 'scan', '--only', 'many_findings', '--format', 'github'], { cwd: repo.dir, env: pinnedEnv() });
  const commands = result.stdout.trimEnd().split('\n').map(parseCommand);
  const count = (level: string) => commands.filter((command) => command.level === level).length;
  assert.equal([count('error'), count('warning'), count('notice')], [10, 3, 10]);
  const last = commands.at(-1)!;
  assert.is(last.level, 'notice');
  assert.is(last.properties.title, 'autopack');
  assert.match(last.message, /^4 more gaps not annotated \(2 errors, 2 notices\): GitHub shows at most 10 annotations per level\./);
  const under = makeManyGapsRepo({ high: 10, low: 10 });
  const exact = (await runBin(['gaps', 'scan', '--only', 'many_findings', '--format', 'github'], { cwd: under.dir, env: pinnedEnv() })).stdout.trimEnd().split('\n');
  assert.is(exact.length, 20, 'exactly 10 per level: every gap shown, no "more" notice');
  assert.not.ok(exact.some((line) => line.includes('more gaps')));
});

test('$GITHUB_STEP_SUMMARY set: a Markdown summary is appended to it (stdout unchanged); unset: nothing is written', async () => {
  const dir = tempDir();
  const summary = join(dir, 'step_summary.md');
  writeFileSync(summary, 'earlier step\n');
  const withSummary = await runInProcess(['gaps', 'scan', '--format', 'github'], { cwd: shop.dir, env: pinnedEnv({ GITHUB_STEP_SUMMARY: summary }) });
  const without = await runInProcess(['gaps', 'scan', '--format', 'github'], { cwd: shop.dir, env: pinnedEnv() });
  assert.is(withSummary.stdout, without.stdout, 'the summary never goes to stdout');
  const markdown = readFileSync(summary, 'utf8');
  assert.ok(markdown.startsWith('earlier step\n## autopack gaps scan: shop\n'), 'appended, not overwritten');
  assert.match(markdown, /\*\*5 gaps\*\* \(run local\): 0 critical, 3 high, 2 medium, 0 low, 0 info; \*\*3 block autopilot\*\*\./);
  assert.match(markdown, /^\| high \| yes \| DEBUG enabled in production configs: 1 files \| \.env\.production:2 \| production\\_config\\_debug-[0-9a-f]{12} \|$/m);
  assert.match(markdown, /^\| medium \| no \| Root clutter: 1 files should be in docs\/ \| NOTES, draft: 100%\.md \|/m);
  // Another format has no summary to give: the file stays as it was.
  await runInProcess(['gaps', 'scan', '--format', 'json'], { cwd: shop.dir, env: pinnedEnv({ GITHUB_STEP_SUMMARY: summary }) });
  assert.is(readFileSync(summary, 'utf8'), markdown);
  // Unset or empty: not a byte written, in the repository or the folder autopack runs from.
  const before = [snapshotTree(shop.dir), snapshotTree(dir)];
  for (const value of [undefined, '']) {
    await runBin(['gaps', 'scan', '--workspace', shop.dir, '--format', 'github'], { cwd: dir, env: pinnedEnv({ GITHUB_STEP_SUMMARY: value }) });
  }
  assert.equal([snapshotTree(shop.dir), snapshotTree(dir)], before);
});

test('a summary file that cannot be written is a warning on stderr; the annotations still print', async () => {
  const missing = join(tempDir(), 'no-such-dir', 'summary.md');
  const result = await runInProcess(['gaps', 'scan', '--format', 'github', '--fail-on', 'never'], { cwd: shop.dir, env: pinnedEnv({ GITHUB_STEP_SUMMARY: missing }) });
  assert.is(result.code, 0);
  assert.ok(result.stdout.startsWith('::error '));
  assert.match(result.stderr, /warning: cannot append the step summary to .*summary\.md \(\$GITHUB_STEP_SUMMARY\)/);
});

test.run();
