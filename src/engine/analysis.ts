/** The in-memory Analysis (DESIGN §1, §6): the View plus findings, attack paths and questions. */
import type { FrameworkKey } from '../compliance/catalog.js';
import type { Model, RiskDecision } from '../model/schema.js';
import type { Location, View } from '../model/view.js';
import type { Confidence, Impact, Likelihood, Stride } from '../rules/define-rule.js';
import type { Severity } from './severity.js';

export type FindingStatus = 'open' | 'accepted' | 'mitigated' | 'false-positive';

export interface FindingSubjects {
  components: string[];
  flows: string[];
  data: string[];
  identities: string[];
  boundaries: string[];
}

export interface Finding {
  /** The fingerprint. */
  id: string;
  ruleId: string;
  /** The rule's message template that produced `message` (not in the JSON report). */
  messageId: string;
  title: string;
  message: string;
  severity: Severity;
  likelihood: Likelihood;
  impact: Impact;
  confidence: Confidence;
  stride: Stride[];
  cwe: string[];
  capec: string[];
  attack: string[];
  primary: string[];
  subjects: FindingSubjects;
  evidence: string[];
  mitigation: string;
  compliance: Partial<Record<FrameworkKey, string[]>>;
  status: FindingStatus;
  /** Questions (ids `<subject>#<attribute>`) whose answers would confirm or clear this finding. */
  questions: string[];
  baselineState?: 'new' | 'unchanged';
  /** The risk decision that matched this finding (DESIGN §7), once decisions are applied. */
  decision?: AppliedDecision;
}

/** A risk decision as it applies to one finding. */
export interface AppliedDecision {
  status: Exclude<FindingStatus, 'open'>;
  reason: string;
  id?: string;
  owner?: string;
  expires?: string;
  how?: string;
  /** Its `expires` is before the analysis' `asOf`: the finding is open again. */
  expired: boolean;
  /** Where the decision is written. */
  location?: Location;
}

/** A risk decision that matches no finding (DESIGN §6 `orphanedDecisions`). */
export interface OrphanedDecision {
  decision: RiskDecision;
  location?: Location;
}

export interface AttackPath {
  from: string;
  to: string;
  hops: string[];
  weakestLink: { flow: string; reason: string } | null;
  findings: string[];
}

export interface AnalysisQuestion {
  id: string;
  subject: string;
  attribute: string;
  text: string;
}

export interface Bounds {
  maxHops: number;
  maxPathsPerTarget: number;
  hit: boolean;
}

export interface Analysis {
  model: Model;
  view: View;
  findings: Finding[];
  attackPaths: AttackPath[];
  questions: AnalysisQuestion[];
  bounds: Bounds;
  asOf?: string;
  generatedAt?: string;
  /** Set once risk decisions are applied (`living/risk-decisions.ts`) and at least one was given. */
  orphanedDecisions?: OrphanedDecision[];
}
