// What docs/detectors/ must say about every built-in detector: a page named after it, titled
// with its id, listed in the folder's README, with a table of exactly its options.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileNameForId, loadRegistry } from '../../lib/registry/load.ts';

export async function detectorPageProblems(root: string): Promise<string[]> {
  const problems: string[] = [];
  const registry = await loadRegistry();
  const index = readFileSync(join(root, 'docs/detectors/README.md'), 'utf8');
  for (const [id, entry] of registry.detectors) {
    const definition = await entry.load();
    let page: string;
    try {
      page = readFileSync(join(root, `docs/detectors/${fileNameForId(id)}.md`), 'utf8');
    } catch {
      problems.push(`${id}: no page docs/detectors/${fileNameForId(id)}.md`);
      continue;
    }
    if (!page.startsWith(`# \`${id}\``)) problems.push(`${id}: the page's title is not \`${id}\``);
    if (!index.includes(`[\`${id}\`](${fileNameForId(id)}.md)`)) problems.push(`${id}: not listed in docs/detectors/README.md`);
    const entries = Object.keys((definition.options as unknown as { entries?: Record<string, unknown> } | undefined)?.entries ?? {}).sort();
    const table = /^\| option \| default \| meaning \|\n\|[-|]+\|\n((?:\|.*\n)*)/m.exec(page);
    const documented = table ? [...table[1]!.matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1]!).sort() : [];
    if (documented.join(',') !== entries.join(',')) problems.push(`${id}: the options table lists [${documented.join(', ')}], the detector has [${entries.join(', ')}]`);
    if (entries.length === 0 && !/no options/.test(page)) problems.push(`${id}: the page does not say it has no options`);
  }
  return problems;
}
