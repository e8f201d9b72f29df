import type { RiskLevel } from '../contracts/common.ts';

/** SARIF `level` of a risk: what code scanning shows as error, warning or note. */
export function sarifLevel(risk: RiskLevel): 'error' | 'warning' | 'note' {
  if (risk === 'critical' || risk === 'high') return 'error';
  return risk === 'medium' ? 'warning' : 'note';
}

/** GitHub workflow-command level of a risk (annotations have `notice` where SARIF has `note`). */
export function githubLevel(risk: RiskLevel): 'error' | 'warning' | 'notice' {
  const level = sarifLevel(risk);
  return level === 'note' ? 'notice' : level;
}
