import type { MissingSection } from '../../anchor/completeness.ts';
import { issuesToLines, type ValidationIssue } from '../../contracts/issues.ts';
import type { Reporter } from '../types.ts';

/** `autopack anchor validate`: errors, warnings and the questions the missing sections raise. */
export interface AnchorValidation {
  file: string;
  valid: boolean;
  errors: ValidationIssue[];
  warnings: ValidationIssue[];
  missing_sections: MissingSection[];
}

const render: Reporter<AnchorValidation> = (result) => {
  const lines = [
    ...issuesToLines(result.errors),
    ...result.warnings.map((w) => `${w.path}: warning: ${w.message}`),
    ...result.missing_sections.map((m) => `missing ${m.section}: ${m.question}`),
  ];
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
};
export default render;
