// The plugin contract: what a detector or an action handler declares, and what it gets to work
// with. Only plain data and Uint8Array cross it, so a plugin type-checks without Node's types.
import type * as v from 'valibot';
import type { RiskLevel } from '../contracts/common.ts';
import type { CheckSpec } from '../contracts/config.ts';
import type { CommandEvidence, Gap, GapLocation } from '../contracts/gap-report.ts';
import type { Action } from '../contracts/plan-proposal.ts';
import type { CheckDiscoveryContext, DetectorContext, FileInspector } from './context-types.ts';

export { defineAction, type ActionContext, type ActionDefinition, type ActionOutcome } from './action-types.ts';
export type { CheckDiscoveryContext, DetectorCache, DetectorContext, FileInfo, FileInspector, FileView, Inspected } from './context-types.ts';

/**
 * How one kind of finding is worded. `{name}` placeholders are filled from the finding's params;
 * every placeholder the texts use must be listed in `params`, or the plugin does not load.
 */
export interface DetectorMessage {
  title: string;
  /** The placeholders its texts use, each of which every finding of this message must give in `params`. */
  params?: string[];
  description?: string;
  signals?: string[];
  /** The approach a human (or a plan) takes to fix it: `safe_remediation.approach`. */
  remediation?: string;
  /** Overrides the detector's default risk for this kind of finding. */
  risk?: RiskLevel;
  blocks_autopilot?: boolean;
}

/** What a detector reports: data only. Wording comes from its declared messages. */
export interface Finding {
  /** Key into the detector's `messages`; defaults to the first one. */
  message?: string;
  /**
   * Inputs of the gap id: workspace-relative POSIX paths or stable keys. Sorted and deduplicated
   * for the id. Default: the sorted `evidence.file_paths`, then `message:<message id>`.
   */
  inputs?: string[];
  /** Values for the message placeholders. */
  params?: Record<string, string | number>;
  evidence?: {
    file_paths?: string[];
    test_names?: string[];
    command_evidence?: CommandEvidence;
    /** Lines in files, when the detector knows them (for SARIF, GitHub annotations, editors). */
    locations?: GapLocation[];
  };
  /** Extra detection signals after the message's own. */
  signals?: string[];
  risk?: RiskLevel;
  blocks_autopilot?: boolean;
  estimated_actions?: number;
}

/** Facts about the workspace the planner looks up once, for remediation commands and rollbacks. */
export interface PlanFacts {
  /** Whether git tracks the path; undefined when it cannot tell (no repository). */
  tracked(path: string): boolean | undefined;
}

/**
 * An action the planner proposes for a detector's gaps. The command and the rollback are
 * suggestions shown to a human; autopack never runs them.
 */
export interface RemediationSpec {
  action_type: Action['action_type'];
  /** `{title}` is the gap's title. */
  title: string;
  description: string;
  /** 0–1. At 0.8 and above an action is blocked outright. */
  risk_score: number;
  risk_factors?: string[];
  cost?: { tokens?: number; time_seconds?: number };
  /** Only for gaps of these messages (default: every message of the detector). */
  messages?: string[];
  command?(gap: Gap, facts: PlanFacts): string | undefined;
  /** A command that really undoes the action; omit it when no such command exists. */
  rollback?(gap: Gap, facts: PlanFacts): string | undefined;
}

export interface DetectorDefinition<TOptions = unknown, TVerdict = unknown> {
  /** snake_case id; a built-in's file is `detectors/<id with - for _>.ts`. */
  id: string;
  /** The gap type of its findings (snake_case); default: the id. */
  gap_type?: string;
  title: string;
  /** Default: the title. */
  description?: string;
  /** `repo`: looks at repository state; `files`: judges files one by one. Default `repo`. */
  scope?: 'repo' | 'files';
  /**
   * Whether it can judge a partial scan (`--staged`, `--since`, `--files`: only the changed files).
   * Default: true for `files` detectors, false for `repo` ones (they are skipped, with a note).
   */
  partial?: boolean;
  /** Default: medium, does not block autopilot. */
  default?: { risk?: RiskLevel; blocks_autopilot?: boolean };
  /** The wording of its findings, by message id; default: one message from the title and description. */
  messages?: Record<string, DetectorMessage>;
  /** valibot schema of `detectors.<id>.options`; its defaults apply when unset. */
  options?: v.GenericSchema<unknown, TOptions>;
  /** True when the detector consumes `checks.<id>` from the config. */
  accepts_checks?: boolean;
  /** The mechanical checks it runs when the config names none (found in the workspace). */
  defaultChecks?(ctx: CheckDiscoveryContext<TOptions>): CheckSpec[] | Promise<CheckSpec[]>;
  /** What the planner proposes for its gaps; default: one manual `custom` action. */
  remediation?: RemediationSpec[];
  /** A per-file check run in the scanner's single pass over the files. */
  inspect?: FileInspector<TOptions, TVerdict>;
  /** Return false or a reason string to skip the detector (the reason goes to the report metadata). */
  isEnabled?(ctx: DetectorContext<TOptions, TVerdict>): boolean | string | Promise<boolean | string>;
  detect(ctx: DetectorContext<TOptions, TVerdict>): Finding[] | Promise<Finding[]>;
}

/** A message with every default filled in. */
export type ResolvedMessage = Required<Pick<DetectorMessage, 'title' | 'description' | 'signals' | 'remediation' | 'params'>> &
  Pick<DetectorMessage, 'risk' | 'blocks_autopilot'>;

/** A detector as the registry holds it: every optional field resolved to its default. */
export interface ResolvedDetector<TOptions = any, TVerdict = any>
  extends Omit<DetectorDefinition<TOptions, TVerdict>, 'gap_type' | 'description' | 'scope' | 'partial' | 'default' | 'messages' | 'remediation'> {
  gap_type: string;
  description: string;
  scope: 'repo' | 'files';
  partial: boolean;
  default: { risk: RiskLevel; blocks_autopilot: boolean };
  messages: Record<string, ResolvedMessage>;
  remediation: RemediationSpec[];
}

/** Identity helper that gives a detector plugin its types. */
export function defineDetector<TOptions = unknown, TVerdict = unknown>(
  definition: DetectorDefinition<TOptions, TVerdict>,
): DetectorDefinition<TOptions, TVerdict> {
  return definition;
}

export type AnyDetector = ResolvedDetector<any, any>;
