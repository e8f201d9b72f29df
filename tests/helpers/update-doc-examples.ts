// Rewrites the outputs shown in a document's console blocks with what the commands print now:
//   node --import tsx tests/helpers/update-doc-examples.ts docs/GOVERNANCE.md
// Review the diff: the docs test fails until the document shows the real outputs.
import { readFileSync, writeFileSync } from 'node:fs';
import { DOC_EXAMPLE_OPTIONS, runDocExamples } from './doc-examples.ts';

for (const file of process.argv.slice(2)) {
  const result = runDocExamples(readFileSync(file, 'utf8'), {}, DOC_EXAMPLE_OPTIONS[file.replace(/^\.\//, '')] ?? {});
  writeFileSync(file, result.actual);
  process.stderr.write(`${file}: ${result.commands} commands, ${result.files} files\n`);
}
