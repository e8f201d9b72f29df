// The Python tool's artifact models (hshk99/Autopack: pydantic, `extra="forbid"` at every
// level), written down from its published field lists — not from autopack's schemas — as a
// small strict checker. A document passes when the Python tool would load it (its JSON Schema
// first, then its model) and when it is what the model's own dump would write: every field with
// a default present, the fields in declaration order, nothing else.
//
// A field's type is one of the few the models use; `dflt` marks a field the model fills with a
// default (the dump writes it, so a compat artifact must too).

export type PyType =
  | { kind: 'str'; minLength?: number; maxLength?: number; pattern?: RegExp }
  | { kind: 'int'; min?: number }
  | { kind: 'float'; min?: number; max?: number }
  | { kind: 'bool' }
  | { kind: 'datetime' }
  | { kind: 'const'; value: string }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'list'; of: PyType; maxItems?: number }
  | { kind: 'model'; model: PyModel }
  | { kind: 'nullable'; of: PyType };

export interface PyField {
  name: string;
  type: PyType;
  required: boolean;
  /** The model fills it when absent, so its dump always has it. */
  dflt: boolean;
}

export interface PyModel {
  name: string;
  fields: PyField[];
}

const str = (bounds: Omit<Extract<PyType, { kind: 'str' }>, 'kind'> = {}): PyType => ({ kind: 'str', ...bounds });
const int = (min?: number): PyType => (min === undefined ? { kind: 'int' } : { kind: 'int', min });
const float = (min?: number, max?: number): PyType => ({ kind: 'float', ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) });
const bool: PyType = { kind: 'bool' };
const datetime: PyType = { kind: 'datetime' };
const constant = (value: string): PyType => ({ kind: 'const', value });
const oneOf = (...values: string[]): PyType => ({ kind: 'enum', values });
const list = (of: PyType, maxItems?: number): PyType => (maxItems === undefined ? { kind: 'list', of } : { kind: 'list', of, maxItems });
const nested = (model: PyModel): PyType => ({ kind: 'model', model });
const nullable = (of: PyType): PyType => ({ kind: 'nullable', of });

/** `[name, type, 'req' | 'dflt' | 'opt']`: required, defaulted (always dumped), or optional (dumped when not None). */
type FieldRow = [string, PyType, 'req' | 'dflt' | 'opt'];
const model = (name: string, rows: FieldRow[]): PyModel => ({
  name,
  fields: rows.map(([field, type, mode]) => ({ name: field, type, required: mode === 'req', dflt: mode === 'dflt' })),
});

const nonNegative = int(0);
const digest = str({ pattern: /^[a-f0-9]{16,64}$/ });

// GapReportV1 (gaps/models.py)

export const PY_GAP_TYPES = [
  'doc_drift',
  'root_clutter',
  'sot_duplicate',
  'test_infra_drift',
  'memory_budget_cap_issue',
  'windows_encoding_issue',
  'baseline_policy_drift',
  'protected_path_violation',
  'db_lock_contention',
  'git_state_corruption',
  'unknown',
];
const RISK = oneOf('critical', 'high', 'medium', 'low', 'info');

const CommandEvidence = model('CommandEvidence', [
  ['command', str(), 'req'],
  ['exit_code', int(), 'req'],
  ['stdout_hash', str(), 'dflt'],
  ['stderr_excerpt', str(), 'dflt'],
]);
const GapExcerpt = model('GapExcerpt', [
  ['source', str(), 'req'],
  ['content_hash', str(), 'opt'],
  ['preview', str({ maxLength: 200 }), 'opt'],
]);
const GapEvidence = model('GapEvidence', [
  ['file_paths', list(str()), 'dflt'],
  ['test_names', list(str()), 'dflt'],
  ['excerpts', list(nested(GapExcerpt)), 'dflt'],
  ['command_evidence', nested(CommandEvidence), 'opt'],
]);
const SafeRemediation = model('SafeRemediation', [
  ['approach', str(), 'opt'],
  ['requires_approval', bool, 'dflt'],
  ['estimated_actions', nonNegative, 'opt'],
]);
const Gap = model('Gap', [
  ['gap_id', str(), 'req'],
  ['gap_type', oneOf(...PY_GAP_TYPES), 'req'],
  ['title', str(), 'opt'],
  ['description', str(), 'opt'],
  ['detection_signals', list(str()), 'req'],
  ['evidence', nested(GapEvidence), 'opt'],
  ['risk_classification', RISK, 'req'],
  ['blocks_autopilot', bool, 'req'],
  ['safe_remediation', nested(SafeRemediation), 'opt'],
]);
const GapSummary = model(
  'GapSummary',
  ['total_gaps', 'critical_gaps', 'high_gaps', 'medium_gaps', 'low_gaps', 'autopilot_blockers'].map((name): FieldRow => [name, nonNegative, 'dflt']),
);
const GapReportMetadata = model('GapReportMetadata', [
  ['scanner_version', str(), 'opt'],
  ['scan_duration_ms', nonNegative, 'opt'],
]);
export const PyGapReportV1 = model('GapReportV1', [
  ['format_version', constant('v1'), 'req'],
  ['project_id', str({ minLength: 1 }), 'req'],
  ['run_id', str({ minLength: 1 }), 'req'],
  ['generated_at', datetime, 'req'],
  ['workspace_state_digest', digest, 'opt'],
  ['gaps', list(nested(Gap)), 'req'],
  ['summary', nested(GapSummary), 'opt'],
  ['metadata', nested(GapReportMetadata), 'opt'],
]);

// PlanProposalV1 (planning/models.py)

export const PY_ACTION_TYPES = [
  'tidy_apply',
  'test_fix',
  'doc_update',
  'baseline_refresh',
  'config_update',
  'dependency_install',
  'file_move',
  'file_delete',
  'git_operation',
  'custom',
];
const EstimatedCost = model('EstimatedCost', [
  ['tokens', nonNegative, 'opt'],
  ['time_seconds', nonNegative, 'opt'],
  ['api_calls', nonNegative, 'opt'],
]);
const Action = model('Action', [
  ['action_id', str(), 'req'],
  ['action_type', oneOf(...PY_ACTION_TYPES), 'req'],
  ['title', str(), 'opt'],
  ['description', str(), 'opt'],
  ['target_gap_ids', list(str()), 'req'],
  ['risk_score', float(0, 1), 'req'],
  ['risk_factors', list(str()), 'dflt'],
  ['approval_status', oneOf('auto_approved', 'requires_approval', 'blocked'), 'req'],
  ['approval_reason', str(), 'opt'],
  ['target_paths', list(str()), 'dflt'],
  ['command', str(), 'opt'],
  ['estimated_cost', nested(EstimatedCost), 'opt'],
  ['dependencies', list(str()), 'dflt'],
  ['rollback_strategy', str(), 'opt'],
]);
const PlanSummary = model('PlanSummary', [
  ['total_actions', nonNegative, 'req'],
  ['auto_approved_actions', nonNegative, 'req'],
  ['requires_approval_actions', nonNegative, 'req'],
  ['blocked_actions', nonNegative, 'req'],
  ['total_estimated_tokens', nonNegative, 'opt'],
  ['total_estimated_time_seconds', nonNegative, 'opt'],
]);
const ProtectedPathCheck = model('ProtectedPathCheck', [
  ['path', str(), 'req'],
  ['is_protected', bool, 'req'],
  ['action_id', str(), 'req'],
]);
const BudgetCompliance = model('BudgetCompliance', [
  ['within_global_cap', bool, 'req'],
  ['within_per_call_cap', bool, 'req'],
  // The model bounds it by 1.0 (a fraction); its schema allows up to 100: both must pass.
  ['estimated_usage_pct', float(0, 1), 'opt'],
]);
const GovernanceChecks = model('GovernanceChecks', [
  ['default_deny_applied', bool, 'req'],
  ['never_auto_approve_violations', list(str()), 'dflt'],
  ['protected_path_checks', list(nested(ProtectedPathCheck)), 'dflt'],
  ['budget_compliance', nested(BudgetCompliance), 'opt'],
]);
const PlanMetadata = model('PlanMetadata', [
  ['proposer_version', str(), 'opt'],
  ['generation_duration_ms', nonNegative, 'opt'],
]);
export const PyPlanProposalV1 = model('PlanProposalV1', [
  ['format_version', constant('v1'), 'req'],
  ['project_id', str({ minLength: 1 }), 'req'],
  ['run_id', str({ minLength: 1 }), 'req'],
  ['generated_at', datetime, 'req'],
  ['anchor_id', str(), 'req'],
  // Optional in the model, required by its schema, which the loader runs first.
  ['gap_report_id', str(), 'req'],
  ['actions', list(nested(Action)), 'req'],
  ['summary', nested(PlanSummary), 'opt'],
  ['governance_checks', nested(GovernanceChecks), 'opt'],
  ['metadata', nested(PlanMetadata), 'opt'],
]);

// AutopilotSessionV1 (autonomy/models.py)

const ExecutionSummary = model(
  'ExecutionSummary',
  ['total_actions', 'auto_approved_actions', 'executed_actions', 'successful_actions', 'failed_actions', 'blocked_actions'].map(
    (name): FieldRow => [name, nonNegative, 'dflt'],
  ),
);
const ApprovalRequest = model('ApprovalRequest', [
  ['action_id', str(), 'req'],
  ['approval_status', oneOf('requires_approval', 'blocked'), 'req'],
  ['reason', str(), 'req'],
]);
const ErrorLogEntry = model('ErrorLogEntry', [
  ['timestamp', datetime, 'req'],
  ['action_id', str(), 'opt'],
  ['error_type', str(), 'req'],
  ['error_message', str(), 'req'],
]);
const SessionMetadata = model('SessionMetadata', [
  ['autopilot_version', str(), 'opt'],
  ['session_duration_ms', nonNegative, 'opt'],
  ['enabled_explicitly', bool, 'opt'],
]);
export const PyAutopilotSessionV1 = model('AutopilotSessionV1', [
  ['format_version', constant('v1'), 'req'],
  ['project_id', str(), 'req'],
  ['run_id', str(), 'req'],
  ['session_id', str(), 'req'],
  ['started_at', datetime, 'req'],
  ['completed_at', datetime, 'opt'],
  ['status', oneOf('running', 'completed', 'blocked_approval_required', 'failed', 'aborted'), 'req'],
  ['anchor_id', str(), 'req'],
  ['gap_report_id', str(), 'req'],
  ['plan_proposal_id', str(), 'req'],
  ['execution_summary', nested(ExecutionSummary), 'opt'],
  ['executed_action_ids', list(str()), 'dflt'],
  ['blocked_reason', str(), 'opt'],
  ['approval_requests', list(nested(ApprovalRequest)), 'dflt'],
  ['error_log', list(nested(ErrorLogEntry)), 'dflt'],
  ['metadata', nested(SessionMetadata), 'opt'],
]);

// PhaseProof (phase_proof.py)

const PhaseChange = model('PhaseChange', [
  ['files_created', nonNegative, 'dflt'],
  ['files_modified', nonNegative, 'dflt'],
  ['files_deleted', nonNegative, 'dflt'],
  ['key_changes', list(str({ maxLength: 200 }), 10), 'dflt'],
  ['change_summary', str({ maxLength: 500 }), 'req'],
]);
const PhaseVerification = model('PhaseVerification', [
  ['tests_passed', nonNegative, 'dflt'],
  ['tests_failed', nonNegative, 'dflt'],
  ['probes_executed', list(str(), 20), 'dflt'],
  ['contracts_verified', list(str(), 20), 'dflt'],
  ['verification_summary', str({ maxLength: 500 }), 'req'],
]);
export const PyPhaseProof = model('PhaseProof', [
  ['proof_id', str(), 'req'],
  ['run_id', str(), 'req'],
  ['phase_id', str(), 'req'],
  ['created_at', datetime, 'req'],
  ['completed_at', datetime, 'req'],
  ['duration_seconds', float(0), 'req'],
  ['changes', nested(PhaseChange), 'req'],
  ['verification', nested(PhaseVerification), 'req'],
  ['success', bool, 'req'],
  ['error_summary', nullable(str({ maxLength: 500 })), 'opt'],
  ['schema_version', constant('1.0'), 'dflt'],
  ['metrics_placeholder', bool, 'dflt'],
]);

/** ISO-8601 with a time and, if any, a `Z` or `±HH:MM` offset: what both Python layers parse. */
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?$/;

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function checkType(type: PyType, value: unknown, path: string, problems: string[]): void {
  const fail = (what: string): void => {
    problems.push(`${path}: ${what}, got ${JSON.stringify(value)}`);
  };
  switch (type.kind) {
    case 'str':
      if (typeof value !== 'string') return fail('expected a string');
      if (type.minLength !== undefined && value.length < type.minLength) fail(`shorter than ${type.minLength}`);
      if (type.maxLength !== undefined && value.length > type.maxLength) fail(`longer than ${type.maxLength}`);
      if (type.pattern && !type.pattern.test(value)) fail(`does not match ${type.pattern}`);
      return;
    case 'int':
      // Booleans and floats are not integers here (JSON has no 2.0 apart from 2).
      if (typeof value !== 'number' || !Number.isInteger(value)) return fail('expected an integer');
      if (type.min !== undefined && value < type.min) fail(`below the minimum ${type.min}`);
      return;
    case 'float':
      if (typeof value !== 'number' || !Number.isFinite(value)) return fail('expected a number');
      if (type.min !== undefined && value < type.min) fail(`below the minimum ${type.min}`);
      if (type.max !== undefined && value > type.max) fail(`above the maximum ${type.max}`);
      return;
    case 'bool':
      if (typeof value !== 'boolean') fail('expected a boolean');
      return;
    case 'datetime':
      if (typeof value !== 'string' || !ISO_DATETIME.test(value) || Number.isNaN(Date.parse(value))) fail('expected an ISO-8601 date-time');
      return;
    case 'const':
      if (value !== type.value) fail(`expected the constant ${JSON.stringify(type.value)}`);
      return;
    case 'enum':
      if (typeof value !== 'string' || !type.values.includes(value)) fail(`not one of ${type.values.join(', ')}`);
      return;
    case 'nullable':
      if (value !== null) checkType(type.of, value, path, problems);
      return;
    case 'list':
      if (!Array.isArray(value)) return fail('expected a list');
      if (type.maxItems !== undefined && value.length > type.maxItems) fail(`more than ${type.maxItems} items`);
      value.forEach((item, index) => checkType(type.of, item, `${path}[${index}]`, problems));
      return;
    case 'model':
      checkInto(type.model, value, path, problems);
      return;
  }
}

function checkInto(pyModel: PyModel, value: unknown, path: string, problems: string[]): void {
  if (!isPlainObject(value)) {
    problems.push(`${path}: expected an object (${pyModel.name})`);
    return;
  }
  const names = pyModel.fields.map((field) => field.name);
  for (const key of Object.keys(value)) if (!names.includes(key)) problems.push(`${path}.${key}: extra field not permitted by ${pyModel.name}`);
  for (const field of pyModel.fields) {
    const present = Object.hasOwn(value, field.name) && value[field.name] !== undefined;
    if (!present) {
      if (field.required) problems.push(`${path}.${field.name}: missing required field of ${pyModel.name}`);
      else if (field.dflt) problems.push(`${path}.${field.name}: missing, though ${pyModel.name}'s dump always writes it (it has a default)`);
      continue;
    }
    if (value[field.name] === null && field.type.kind !== 'nullable') {
      problems.push(`${path}.${field.name}: null, which ${pyModel.name}'s dump never writes`);
      continue;
    }
    checkType(field.type, value[field.name], `${path}.${field.name}`, problems);
  }
  // Serialization order: the model's declaration order.
  const known = Object.keys(value).filter((key) => names.includes(key));
  const expected = names.filter((name) => known.includes(name));
  if (known.join(',') !== expected.join(',')) problems.push(`${path}: fields out of ${pyModel.name}'s order: ${known.join(', ')} (expected ${expected.join(', ')})`);
}

/** Everything that keeps the Python tool from loading `value` as `pyModel`, or makes it differ from the model's dump; [] when none. */
export function pythonModelProblems(pyModel: PyModel, value: unknown): string[] {
  const problems: string[] = [];
  checkInto(pyModel, value, '$', problems);
  return problems;
}

/** The four models by the artifact names the pydantic script also takes. */
export const PY_MODELS = {
  gap_report_v1: PyGapReportV1,
  plan_proposal_v1: PyPlanProposalV1,
  autopilot_session_v1: PyAutopilotSessionV1,
  phase_proof: PyPhaseProof,
} as const;
