import { ACTION_TYPES } from '../contracts/plan-proposal.ts';
import type { Effect } from '../contracts/common.ts';
import { compilePathPattern, normalizeWorkspacePath } from './paths.ts';

/** What a rule condition can look at. */
export interface RuleSubject {
  action_type: string;
  gap_types: readonly string[];
  handler?: string;
  effects?: readonly Effect[];
  risk_score: number;
  target_paths: readonly string[];
}

export type ParsedCondition = { ok: true; test: (subject: RuleSubject) => boolean } | { ok: false; reason: string };

const KEYS = ['action_type', 'gap_type', 'handler', 'effects', 'max_risk', 'path'] as const;

/**
 * Parses one `auto_approve_rules[].conditions` entry. Conditions are exact, structured tokens
 * (never substrings): `action_type:verify`, `gap_type:doc_drift`, `handler:rerun_check`,
 * `effects:read_only` (every effect of the handler is this one), `max_risk:0.2`,
 * `path:docs/**` (every target path matches). A bare action type (`verify`) means
 * `action_type:verify`. Anything else is unrecognised and makes its rule match nothing.
 */
export function parseCondition(text: string): ParsedCondition {
  const trimmed = text.trim();
  if ((ACTION_TYPES as readonly string[]).includes(trimmed)) return parseCondition(`action_type:${trimmed}`);
  const at = trimmed.indexOf(':');
  const key = at > 0 ? trimmed.slice(0, at) : '';
  const value = at > 0 ? trimmed.slice(at + 1).trim() : '';
  if (!(KEYS as readonly string[]).includes(key) || value === '') {
    return { ok: false, reason: `unrecognised condition '${text}' (use ${KEYS.map((k) => `${k}:…`).join(', ')})` };
  }
  switch (key) {
    case 'action_type':
      return { ok: true, test: (s) => s.action_type === value };
    case 'gap_type':
      return { ok: true, test: (s) => s.gap_types.length > 0 && s.gap_types.every((type) => type === value) };
    case 'handler':
      return { ok: true, test: (s) => s.handler === value };
    case 'effects':
      return { ok: true, test: (s) => (s.effects ?? []).length > 0 && (s.effects ?? []).every((effect) => effect === value) };
    case 'max_risk': {
      const limit = Number(value);
      if (!Number.isFinite(limit) || limit < 0 || limit > 1) return { ok: false, reason: `max_risk must be a number from 0 to 1, got '${value}'` };
      return { ok: true, test: (s) => s.risk_score <= limit };
    }
    default: {
      const pattern = compilePathPattern(value);
      return {
        ok: true,
        test: (s) =>
          s.target_paths.length > 0 &&
          s.target_paths.every((path) => {
            const normalized = normalizeWorkspacePath(path);
            return normalized.ok && pattern.test(normalized.path);
          }),
      };
    }
  }
}

export interface CompiledRule {
  rule_id: string;
  /** Why the rule can never match (empty or unrecognised conditions), if so. */
  problem?: string;
  matches(subject: RuleSubject): boolean;
}

/** An empty condition list matches nothing (in the Python tool it matched everything). */
export function compileRule(rule: { rule_id: string; conditions: readonly string[] }): CompiledRule {
  if (rule.conditions.length === 0) return { rule_id: rule.rule_id, problem: 'has no conditions, so it matches nothing', matches: () => false };
  const parsed = rule.conditions.map(parseCondition);
  const failures = parsed.filter((p): p is { ok: false; reason: string } => !p.ok);
  if (failures.length > 0) return { rule_id: rule.rule_id, problem: `${failures.map((f) => f.reason).join('; ')}: the rule matches nothing`, matches: () => false };
  const tests = parsed.map((p) => (p as { ok: true; test: (s: RuleSubject) => boolean }).test);
  return { rule_id: rule.rule_id, matches: (subject) => tests.every((test) => test(subject)) };
}
