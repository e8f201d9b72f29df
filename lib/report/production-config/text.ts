import type { DebugViolation } from '../../enforcement/production-config.ts';
import type { Reporter } from '../types.ts';

/** `autopack check production-config`: the files checked, and every line that switches DEBUG on. */
export interface ProductionConfigResult {
  repo_root: string;
  checked_files: string[];
  violations: DebugViolation[];
  /** What to do, when there are violations. */
  remediation?: string;
}

const render: Reporter<ProductionConfigResult> = (result) => {
  if (result.violations.length === 0) return '';
  const lines = [`FOUND ${result.violations.length} DEBUG VIOLATION(S):`];
  for (const violation of result.violations) lines.push(`  ${violation.file}:${violation.line}`, `    Pattern: ${violation.pattern}`, `    Content: ${violation.content}`);
  if (result.remediation) lines.push('', result.remediation);
  return `${lines.join('\n')}\n`;
};
export default render;
