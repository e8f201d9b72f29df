// Runs Microsoft's SARIF validator (the @microsoft/sarif-multitool devDependency, a native
// binary per platform; no network) once over several files and returns what it found per file.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { tempDir } from './git-fixture.ts';

export interface ValidatorFinding {
  file: string;
  level: string;
  ruleId: string;
  text: string;
}

/**
 * A log the validator must flag (a result without its required `message`). It goes last:
 * the validator stops silently at a file it cannot read, dropping the findings of every file
 * after it, so a canary that is not reported means the run did not really look.
 */
const CANARY = JSON.stringify({
  $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
  version: '2.1.0',
  runs: [{ tool: { driver: { name: 'canary', version: '1.0.0', informationUri: 'https://example.com/' } }, results: [{ ruleId: 'X1' }] }],
});

export function validatorBinary(): string {
  return createRequire(import.meta.url)('@microsoft/sarif-multitool') as string;
}

/** Validates the logs (`name` → content) in one run; throws when the canary's error goes unreported. */
export function validateSarif(logs: Record<string, string>): ValidatorFinding[] {
  const dir = tempDir('autopack-sarif-');
  const names = [...Object.keys(logs), 'zz-canary.sarif'];
  for (const [name, content] of Object.entries(logs)) writeFileSync(join(dir, name), content);
  writeFileSync(join(dir, 'zz-canary.sarif'), CANARY);
  const output = join(dir, 'validation.sarif.json');
  execFileSync(validatorBinary(), ['validate', ...names.map((name) => join(dir, name)), '--output', output, '--log', 'ForceOverwrite'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  });
  const log = JSON.parse(readFileSync(output, 'utf8')) as {
    runs: Array<{ results?: Array<{ level?: string; ruleId: string; message: { text?: string; id?: string; arguments?: string[] }; locations?: Array<{ physicalLocation?: { artifactLocation?: { uri?: string } } }> }> }>;
  };
  const findings = (log.runs[0]?.results ?? []).map((result) => ({
    file: decodeURIComponent(result.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? '').split('/').pop() ?? '',
    level: result.level ?? 'warning',
    ruleId: result.ruleId,
    text: result.message.text ?? [result.message.id, ...(result.message.arguments ?? [])].join(' | '),
  }));
  const canary = findings.filter((finding) => finding.file === 'zz-canary.sarif');
  if (!canary.some((finding) => finding.level === 'error')) {
    throw new Error(`the SARIF validator did not report the canary's error: it did not read every file\n${JSON.stringify(findings, null, 2)}`);
  }
  return findings.filter((finding) => finding.file !== 'zz-canary.sarif');
}
