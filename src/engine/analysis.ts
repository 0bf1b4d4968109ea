/** The in-memory Analysis (DESIGN §1, §6): the View plus findings, attack paths and questions. */
import type { FrameworkKey } from '../compliance/catalog.js';
import type { Model } from '../model/schema.js';
import type { View } from '../model/view.js';
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
}
