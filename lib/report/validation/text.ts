import { issuesToLines, type ValidationIssue } from '../../contracts/issues.ts';
import type { Reporter } from '../types.ts';

/** `autopack validate`: what was checked, and every problem as `path: message`. */
export interface ValidationResult {
  file: string;
  kind: string;
  valid: boolean;
  errors: ValidationIssue[];
}

const render: Reporter<ValidationResult> = (result) => (result.errors.length > 0 ? `${issuesToLines(result.errors).join('\n')}\n` : '');
export default render;
