/**
 * answerQuestion: classify the question, resolve what it names, and hand it to the first answer that
 * takes it (a handler may decline, passing it on). Offline and deterministic: the same context and
 * question give the same answer, byte for byte.
 */

import { capabilities, clarifyAmbiguous, type Question, readQuestion } from './answers/common.js';
import { answerControl } from './answers/control.js';
import { answerFixFirst } from './answers/fix-first.js';
import { answerFramework } from './answers/framework.js';
import { answerListing, asksForListing } from './answers/listing.js';
import { answerOverview } from './answers/overview.js';
import { answerAttackPaths } from './answers/paths.js';
import { answerQuestionImpact, answerQuestions } from './answers/questions.js';
import { answerSeverity } from './answers/severity.js';
import { answerTerm } from './answers/term.js';
import { answerThreats } from './answers/threats.js';
import { answerWhatIf } from './answers/what-if.js';
import { type Env, envOf } from './env.js';
import { classify, type Intent } from './intent.js';
import type { AskAnswer, AskContext } from './types.js';

type Handler = (env: Env, q: Question) => AskAnswer | undefined;

const HANDLERS: Readonly<Record<Intent, Handler>> = {
  help: (env) => capabilities(env, 'Ask about this threat model in your own words.'),
  'question-impact': answerQuestionImpact,
  'what-if': answerWhatIf,
  questions: answerQuestions,
  term: answerTerm,
  'fix-first': answerFixFirst,
  control: answerControl,
  framework: answerFramework,
  severity: answerSeverity,
  'attack-paths': answerAttackPaths,
  overview: (env, q) => answerListing(env, q) ?? (q.elements.length > 0 ? undefined : answerOverview(env, q)),
  threats: answerThreats,
};

/**
 * Answers a question about a model and its analysis, offline and deterministically. Every answer cites
 * the findings, elements and rules it rests on; an ambiguous name gets a clarifying answer (kind
 * `clarify`), a question outside what it can answer gets the list of what it can (kind `unknown`).
 */
export function answerQuestion(ctx: AskContext, question: string): AskAnswer {
  const env = envOf(ctx);
  const classified = classify(question);
  const { text } = classified;
  // "which findings are assumed?", "what did we accept?": a filtered list, before threats take the words.
  const intents: Intent[] =
    asksForListing(text) && !classified.intents.includes('what-if')
      ? ['overview', ...classified.intents.filter((i) => i !== 'overview')]
      : classified.intents;
  const q = readQuestion(env, question, text);
  for (const intent of intents) {
    const a = HANDLERS[intent](env, q);
    if (a) return a;
  }
  // Nothing in the wording: a question that only names an element asks what threatens it.
  if (q.elements.length > 0) {
    const a = answerThreats(env, q);
    if (a) return a;
  }
  if (q.findings.length > 0 || q.rules.length > 0) {
    const a = answerSeverity(env, q);
    if (a) return a;
  }
  if (q.scan.ambiguous.length > 0) {
    const a = q.scan.ambiguous[0] as (typeof q.scan.ambiguous)[number];
    return clarifyAmbiguous(env, a.text, a.candidates);
  }
  if (q.scan.unresolved.length > 0) {
    return capabilities(
      env,
      `There is no element, finding or rule named '${q.scan.unresolved[0]}' in this model, and I cannot answer that question without one.`,
    );
  }
  return capabilities(env, 'I cannot answer that from this threat model.');
}
