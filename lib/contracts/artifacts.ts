import * as v from 'valibot';
import { IntentionAnchorV2 } from './anchor.ts';
import { AutopilotSessionV1 } from './autopilot-session.ts';
import { AutopackConfig } from './config.ts';
import { DEFAULT_GAP_TYPES, gapReportSchema } from './gap-report.ts';
import { validate, type ValidationIssue } from './issues.ts';
import { PhaseProof } from './phase-proof.ts';
import { PlanProposalV1 } from './plan-proposal.ts';
import { SupervisorResultV1 } from './supervisor-result.ts';
import { RoutingSnapshotV1 } from './models.ts';

export const ARTIFACT_NAMES = [
  'intention_anchor_v2',
  'gap_report_v1',
  'plan_proposal_v1',
  'autopilot_session_v1',
  'phase_proof',
  'supervisor_result_v1',
  'model_routing_snapshot',
  'config',
] as const;
export type ArtifactName = (typeof ARTIFACT_NAMES)[number];

export const ARTIFACT_TITLES: Record<ArtifactName, string> = {
  intention_anchor_v2: 'IntentionAnchorV2',
  gap_report_v1: 'GapReportV1',
  plan_proposal_v1: 'PlanProposalV1',
  autopilot_session_v1: 'AutopilotSessionV1',
  phase_proof: 'PhaseProof',
  supervisor_result_v1: 'SupervisorResultV1',
  model_routing_snapshot: 'RoutingSnapshotV1',
  config: 'AutopackConfig',
};

export interface SchemaOptions {
  /** Gap types known to the registry (built-ins, `unknown` and plugin types). */
  gapTypes?: readonly string[];
}

export function artifactSchema(name: ArtifactName, options: SchemaOptions = {}): v.GenericSchema {
  switch (name) {
    case 'intention_anchor_v2':
      return IntentionAnchorV2;
    case 'gap_report_v1':
      return gapReportSchema(options.gapTypes ?? DEFAULT_GAP_TYPES);
    case 'plan_proposal_v1':
      return PlanProposalV1;
    case 'autopilot_session_v1':
      return AutopilotSessionV1;
    case 'phase_proof':
      return PhaseProof;
    case 'supervisor_result_v1':
      return SupervisorResultV1;
    case 'model_routing_snapshot':
      return RoutingSnapshotV1;
    case 'config':
      return AutopackConfig;
  }
}

/** Accepts `gap_report_v1`, `GapReportV1`, `gap-report-v1`, `gap_report`… */
export function resolveArtifactName(input: string): ArtifactName | undefined {
  const key = input.toLowerCase().replace(/[^a-z0-9]/g, '');
  for (const name of ARTIFACT_NAMES) {
    const plain = name.replace(/_/g, '');
    const title = ARTIFACT_TITLES[name].toLowerCase();
    if (key === plain || key === title || key === plain.replace(/v\d$/, '')) return name;
  }
  return undefined;
}

const CONFIG_FILE = /(^|[\\/])autopack\.config\.(ya?ml|json)$/;

/** Recognises the kind of an artifact from its content (and, for the config, its name). */
export function detectArtifactKind(data: unknown, fileName = ''): ArtifactName | undefined {
  if (CONFIG_FILE.test(fileName)) return 'config';
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return undefined;
  const has = (key: string) => key in data;
  const version = (data as { format_version?: unknown }).format_version;
  if (has('pivot_intentions') || has('raw_input_digest') || version === 'v2') return 'intention_anchor_v2';
  if (has('supervisor_id')) return 'supervisor_result_v1';
  if (has('snapshot_id')) return 'model_routing_snapshot';
  if (has('session_id') || has('plan_proposal_id')) return 'autopilot_session_v1';
  if (has('proof_id') || has('phase_id')) return 'phase_proof';
  if (has('actions') || has('anchor_id') || has('proposal_id')) return 'plan_proposal_v1';
  if (has('gaps') || has('workspace_state_digest') || has('report_id')) return 'gap_report_v1';
  return undefined;
}

export function validateArtifact(
  name: ArtifactName,
  data: unknown,
  options: SchemaOptions = {},
): { ok: true; value: unknown } | { ok: false; issues: ValidationIssue[] } {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    const got = data === null ? 'null' : Array.isArray(data) ? 'array' : typeof data;
    return { ok: false, issues: [{ path: '$', message: `Data must be an object, got ${got}` }] };
  }
  return validate(artifactSchema(name, options), data);
}
