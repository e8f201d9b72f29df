// The public programmatic API of autopack: what the CLI itself calls, and what a program
// embedding autopack needs. Everything else is internal and may change without notice.

// Scan, plan, execute, supervise.
export { scanGaps, type ScanGapsOptions, type ScanGapsResult } from './gaps/scan-gaps.ts';
export { planWorkspace, readGapReport, type PlanWorkspaceOptions, type PlanWorkspaceResult } from './planning/plan-workspace.ts';
export { proposePlan, type ProposeOptions } from './planning/propose.ts';
export { runAutopilotSession, type AutopilotOptions, type AutopilotResult } from './autopilot/session.ts';
export { superviseRuns, type SuperviseOptions, type SuperviseResult } from './supervisor/supervise.ts';
export { githubMatrix, type GithubMatrix, type MatrixEntry } from './supervisor/matrix.ts';
export { collectSupervisorResults, type CollectOptions } from './supervisor/collect.ts';
export { collectGarbage, type GcItem } from './supervisor/gc.ts';
export { checkProductionConfigs, type DebugViolation } from './enforcement/production-config.ts';

// Loaders and builders of the inputs.
export { openWorkspace, type Workspace, type WorkspaceOptions } from './config/workspace.ts';
export { loadConfig, type LoadedConfig } from './config/load-config.ts';
export { loadAnchor } from './anchor/load-anchor.ts';
export { createAnchor } from './anchor/create-anchor.ts';
export { loadModelCatalog, type LoadedCatalog } from './models/catalog.ts';
export { selectBestModelForTier } from './models/routing.ts';

// The artifact contracts: valibot schemas (types of the same names), validation, JSON Schemas.
export { IntentionAnchorV2 } from './contracts/anchor.ts';
export { gapReportSchema, GapReportV1, type Gap } from './contracts/gap-report.ts';
export { PlanProposalV1, type Action } from './contracts/plan-proposal.ts';
export { AutopilotSessionV1 } from './contracts/autopilot-session.ts';
export { PhaseProof } from './contracts/phase-proof.ts';
export { SupervisorResultV1 } from './contracts/supervisor-result.ts';
export { RoutingSnapshotV1 } from './contracts/models.ts';
export { AutopackConfig } from './contracts/config.ts';
export { validateArtifact, detectArtifactKind, ARTIFACT_NAMES, type ArtifactName } from './contracts/artifacts.ts';
export { artifactJsonSchema } from './contracts/json-schema.ts';
export type { ValidationIssue } from './contracts/issues.ts';

// Output: every format a command prints, by kind of output.
export { render, formatsOf } from './report/render.ts';

// Plugins: the helpers, types and testDetector of `autopack/plugin`.
export * from './plugin.ts';

// Time and errors.
export { systemClock, fixedClock, clockFromEnv, type Clock } from './util/clock.ts';
export { AutopackError, ConfigError, InvalidArtifactError } from './util/errors.ts';
export type { Logger } from './util/logger.ts';
