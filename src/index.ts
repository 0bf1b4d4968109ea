/** ThreatKrew's public API: explicit named exports only (STYLE 11). */
export {
  type AskAnswer,
  type AskContext,
  answerQuestion,
  type Citations,
  createAskContext,
  renderAnswerJson,
  renderAnswerText,
} from './ask/index.js';
export { type AskWithLlmOptions, askWithLlm, type ChatCompleter, type ChatReply } from './ask/llm.js';
export type { Catalog, FrameworkKey, IdKind } from './compliance/catalog.js';
export { FRAMEWORK_KEYS, FRAMEWORK_LABELS, loadCatalog } from './compliance/catalog.js';
export type {
  Analysis,
  AnalysisQuestion,
  AppliedDecision,
  AttackPath,
  Bounds,
  Finding,
  FindingStatus,
  FindingSubjects,
  OrphanedDecision,
} from './engine/analysis.js';
export { fingerprint } from './engine/fingerprint.js';
export { type AnalyzeOptions, analyze } from './engine/run-rules.js';
export { SEVERITIES, SEVERITY_MATRIX, type Severity, severityOf } from './engine/severity.js';
export { analyzeModel, type ModelAnalysisOptions } from './living/analyze-model.js';
export { baselineIds, markBaseline } from './living/baseline.js';
export {
  type AnalysisDiff,
  DIFF_SCHEMA,
  diffAnalyses,
  diffFindings,
  diffModels,
  type FieldChange,
  type FindingChange,
  type FindingsDiff,
  type ModelDiff,
} from './living/diff.js';
export { renderDiffJson, renderDiffMarkdown, renderDiffText } from './living/diff-report.js';
export {
  type ApplyOptions,
  applyRiskDecisions,
  decisionsFromRisksFile,
  type LocatedDecision,
  locateDecisions,
} from './living/risk-decisions.js';
export { type Diagnostic, formatDiagnostic, formatDiagnostics } from './model/diagnostics.js';
export {
  type FailedLoad,
  type LoadedModel,
  type LoadOptions,
  type LoadResult,
  loadModelFiles,
  loadModelSources,
} from './model/load.js';
export type {
  Assumption,
  Boundary,
  Component,
  DataAsset,
  Flow,
  Grant,
  Identity,
  Model,
  ModelFile,
  Question,
  RiskDecision,
  Source,
} from './model/schema.js';
export { modelFileSchema, modelJsonSchema } from './model/schema.js';
export { parseSource, readSource, SourceFile } from './model/source-file.js';
export { type EntryPath, type FlowFacts, type Location, View } from './model/view.js';
export { analysisJson, renderJson } from './reporters/json/json.js';
export { renderText } from './reporters/text/text.js';
export { CATALOGUE } from './rules/catalog/index.js';
export type { Confidence, Draft, Impact, Likelihood, Rule, RuleMeta, Stride } from './rules/define-rule.js';
export { defineRule, STRIDE } from './rules/define-rule.js';
