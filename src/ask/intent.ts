/**
 * Question classification: which kind of answer a question asks for, from the way people phrase it
 * (verbs, question words, the things it names). Deterministic and ordered: a what-if is recognised
 * before anything else ("what if we encrypt it?" is not a question about encryption), a definition
 * before a threat question ("what is a trust boundary?"), and a question that only names an element
 * is read as "what threatens it?".
 */
import { normalizeQuestion } from './text.js';

export type Intent =
  | 'what-if'
  | 'question-impact'
  | 'questions'
  | 'term'
  | 'framework'
  | 'fix-first'
  | 'control'
  | 'severity'
  | 'attack-paths'
  | 'overview'
  | 'threats'
  | 'help';

const WHAT_IF: readonly RegExp[] = [
  /\bwh?at\s+(?:would\s+)?(?:happens?|changes?|happen|change)?\s*(?:if|when)\b/,
  /\bwhat if\b/,
  /^(?:and\s+)?(?:if|suppose|supposing|assume|assuming|imagine|say|let'?s say|hypothetically|pretend)\b/,
  /^(?:would|will|does|do|did|could|can|should)\s+(?:it\s+)?(?:adding|enabling|removing|turning|encrypting|narrowing|restricting|setting|making|switching|moving|dropping|revoking|deleting|using|putting|requiring|disabling|scaling|limiting|replacing|blocking|cutting|rotating|keeping|storing|reducing|tightening|changing|answering)\b/,
  /\b(?:would|does|will|could)\s+(?:it|that|this|things)\s+(?:help|matter|change|improve|fix|reduce|make a difference)\b.*\bif\b/,
  /\bwhat\s+(?:do|would|does)\s+(?:we|i|you)\s+(?:gain|get|win|save|lose)\s+(?:if|by|from)\b/,
  /\bhow\s+(?:much|many)\b.*\b(?:go away|goes away|disappear|resolved?|drop)\b.*\b(?:if|by|when)\b/,
  /\b(?:simulate|simulation)\b/,
  /\bwhat\s+(?:would|will)\s+(?:adding|enabling|removing|turning|encrypting|narrowing|setting|making|switching|moving|dropping|revoking|deleting)\b/,
  /\bwhat\s+(?:does|would|will)\s+(?:adding|enabling|removing|turning|encrypting|narrowing|setting|making|switching|moving|dropping|revoking|deleting|using|requiring|disabling)\b/,
];

const QUESTION_IMPACT: readonly RegExp[] = [
  /\b(?:what|how much)\b.*\banswer(?:ing|ed)?\b.*\b(?:change|do|matter|affect|resolve|confirm|clear|help)\b/,
  /\bwhich questions?\b.*\b(?:matter|most|first|important|priorit)/,
  /\bwhat (?:depends|hinges|rests) on\b.*\bquestion/,
  /\bwhy (?:do|does|should) (?:we|i|you|it) (?:need to )?answer\b/,
];

const QUESTIONS: readonly RegExp[] = [
  /\bopen questions?\b/,
  /\bunanswered\b/,
  /\bquestions?\b.*\b(?:open|left|remain|remaining|outstanding|unknown|pending|are there|does (?:the model|it|threatkrew) (?:have|ask|raise)|to answer|should (?:we|i) answer|for (?:us|me|the team))\b/,
  /\b(?:what|which) questions?\b/,
  /\bwhat (?:don'?t|do not|doesn'?t|does not) (?:you|we|it|threatkrew|the model|the tool) know\b/,
  /\bunknowns?\b/,
  /\bwhat(?:'s| is) (?:unknown|missing|unclear)\b/,
  /\b(?:gaps?|blind spots?) in (?:the|our|this) model\b/,
  /\bwhat (?:information|facts|details) (?:is|are) missing\b/,
  /\bwhat should (?:we|i) (?:clarify|find out|check|confirm)\b/,
  /\bassumed findings?\b.*\bconfirm\b/,
];

const TERM: readonly RegExp[] = [
  /^(?:so\s+)?(?:what(?:'s| is| are| does| do)|whats|wtf is|define|definition of|explain|meaning of|what do you mean by|what is meant by|what'?s meant by|eli5|tell me what)\b/,
];

const FRAMEWORK: readonly RegExp[] = [
  /\bpci(?:[\s-]?dss)?\b/,
  /\bnist\b|\b800-53\b|\bsp 800\b/,
  /\biso(?:\/iec)?(?:[\s-]?27001)?\b|\b27001\b|\bannex a\b/,
  /\bsoc\s?(?:2|ii|two)\b/,
  /\bhipaa\b/,
  /\basvs\b/,
  /\bcompliance\b|\bcomplian(?:t|ce)\b|\bauditor\b|\baudit(?:ors)? (?:ask|want|need)/,
  /\b(?:cwe|capec)-\d+\b/,
  /\b(?:att&ck|attack technique|mitre)\b|\bt\d{4}(?:\.\d{3})?\b/,
  /\b(?:framework|regulation|regulatory|control (?:id|ids|family))\b/,
];

const FIX_FIRST: readonly RegExp[] = [
  /\b(?:fix|remediate|address|tackle|patch|resolve|work on|handle|do|mitigate|change)\b.*\b(?:first|next|now|today|asap|soon|this sprint|this week|this quarter|before launch|before release)\b/,
  /\bpriorit(?:y|ies|ise|ize|ized|ised|ising|izing|isation|ization)\b/,
  /\bwhere (?:do|should|can|shall) (?:we|i|the team) (?:start|begin)\b/,
  /\b(?:quick wins?|low[- ]hanging fruit|biggest bang|best bang|most bang|highest[- ](?:value|impact|leverage) (?:fix|change|work))\b/,
  /\bremediation (?:plan|roadmap|order|priorit)/,
  /\bwhat should (?:we|i|the team|engineering|my team) (?:fix|do|tackle|work on|change|address)\b/,
  /\b(?:most|top|biggest) (?:urgent|pressing|important) (?:fix|fixes|thing|things|change|changes|work)\b/,
  /\bwhich fix(?:es)?\b/,
  /\b(?:top|best|biggest|most effective) (?:\d+ )?(?:fixes|fix|changes|remediations|actions)\b/,
  /\bwhat (?:to|do i|do we|should we) fix\b/,
  /\bgive me (?:a |the )?(?:to-?do|todo) list\b/,
];

const CONTROL: readonly RegExp[] = [
  /\bwhy\b.*\b(?:recommend|recommended|recommends|recommending|suggest|suggested|suggests|advise|advised|propose|proposed|want|wants)\b/,
  /\bwhy\b.*\b(?:do|does|did|should|must|would)\s+(?:we|i|you|it|they|the team)\s+(?:really\s+)?(?:need|have to|want|add|enable|use|implement|require|put|turn on|configure|deploy|move|encrypt|narrow|restrict|rotate|validate)\b/,
  /\bwhy\b.*\b(?:needed|necessary|required|mandatory)\b/,
  /\b(?:reason|rationale|justification|basis|grounds)\s+(?:for|behind|of)\b/,
  /\bjustify\b/,
  /\bis\b.*\b(?:really|actually)\s+(?:needed|necessary|required)\b/,
  /\bwhere does\b.*\b(?:recommendation|mitigation|advice)\b.*\bcome from\b/,
  /\bwhat (?:is|are) the (?:mitigation|recommendation|advice|fix)\b.*\b(?:based|grounded) on\b/,
  /\bwhy (?:mfa|2fa|tls|mtls|encryption|a waf|waf|rate[- ]limit(?:ing)?|input validation|audit[- ]logging|monitoring|least privilege|a secret store|backups?|replicas|an allow-?list|signing|sandboxing|human approval)\b/,
];

const SEVERITY: readonly RegExp[] = [
  /\bwhy\b.*\b(?:critical|high|medium|low|info|severe|severity|serious|rated|ranked|scored|classified|dangerous|flagged|reported|raised|a finding|assumed|confirmed)\b/,
  /\bhow (?:severe|serious|likely|critical|dangerous)\b/,
  /\bseverity\b/,
  /\blikelihood\b|\bimpact\b/,
  /\bexplain\b.*\bfinding\b/,
  /\bwhy (?:so|such a) high\b/,
  /\bis\b.*\b(?:confirmed|assumed)\b/,
  /\bwhat makes\b.*\b(?:critical|high|severe|serious|bad)\b/,
  /\boverrated\b|\bover-?rated\b|\bunderrated\b|\bfalse positive\b/,
];

const ATTACK_PATHS: readonly RegExp[] = [
  /\battack[- ]?paths?\b/,
  /\bpaths?\s+(?:to|into|from|towards)\b/,
  /\bhow (?:could|can|would|might|do|does|did) (?:an? |the )?(?:attacker|hacker|adversary|someone|somebody|anyone|bad actor|intruder|outsider|criminal)s?\b/,
  /\b(?:reach|reaches|reached|get to|get into|access|break into|compromise|hit|touch)\b.*\bfrom (?:the )?(?:internet|outside|web)\b/,
  /\bfrom (?:the )?(?:internet|outside)\b.*\b(?:reach|get to|get into|access|break into)\b/,
  /\breachable\b|\breachability\b/,
  /\broutes?\s+(?:to|into)\b/,
  /\bkill[- ]chain\b|\bentry points?\b|\bweakest links?\b|\blateral movement\b/,
  /\bwho can (?:reach|get to|access|talk to|call)\b/,
  /\bblast radius\b|\b(?:is|was|were|gets?|got|been) (?:compromised|breached|hacked|owned|pwned|taken over)\b|\bif (?:someone|an attacker|a hacker) (?:compromises|breaches|hacks|owns|takes over|steals)\b/,
];

const OVERVIEW: readonly RegExp[] = [
  /\bsumm(?:a)?r(?:y|ize|ise|ized|ised|ies)\b/,
  /\boverview\b/,
  /\bhow bad\b/,
  /\bhow (?:are we|secure are we|safe are we|do we look|is it looking|risky is (?:it|this|the system|the design|the architecture)|secure is (?:it|this|the system|the design|the architecture)|(?:are|is) things)\b/,
  /\btl;?\s?dr\b/,
  /\bbig picture\b|\bin a nutshell\b|\bexecutive\b|\bthe gist\b|\bhigh[- ]level\b|\bbottom line\b/,
  /\bhow many (?:findings|issues|risks|problems|vulnerabilities)\b/,
  /\b(?:security )?posture\b/,
  /\b(?:top|biggest|main|worst|key|major|largest) (?:\d+ )?(?:risks?|issues|problems|findings|concerns|threats|vulnerabilities|weaknesses)\b/,
  /^(?:what(?:'s| is) wrong|any (?:issues|problems|findings)|status|report|results?)\??$/,
  /\b(?:are we|is (?:it|this|the system|the design)) (?:ok|okay|fine|good|safe|secure|compliant|ready)\b/,
  /\b(?:state|status) of (?:the|our) (?:security|design|system|architecture)\b/,
  /\bbriefly\b/,
];

const THREATS: readonly RegExp[] = [
  /\bthreat/,
  /\brisks?\b|\brisky\b/,
  /\bvulnerab/,
  /\bwhat(?:'s|s| is) wrong with\b/,
  /\bissues?\b|\bproblems?\b|\bconcerns?\b|\bweakness/,
  /\bfindings?\b/,
  /\b(?:is|are)\b.*\b(?:safe|secure|exposed|protected|ok|okay|fine)\b/,
  /\bworr(?:y|ied)\b/,
  /\battack/,
  /\bwhat about\b|\btell me about\b|\bdescribe\b|\bwhat do you know about\b|\bwhat can you tell me about\b/,
  /\bwho (?:can|could) (?:abuse|misuse|steal|tamper)\b/,
  /\baffect(?:s|ed|ing)?\b|\binvolv(?:e|es|ed|ing)\b|\btouch(?:es|ing)?\b/,
];

const HELP: readonly RegExp[] = [
  /^(?:help|\?|h|usage|commands|menu)$/,
  /\bwhat can (?:you|i) (?:do|ask)\b|\bhow do i use (?:you|this)\b|\bwhat (?:questions )?can (?:i|you) ask\b|\bwhat do you (?:know|answer)\b$/,
];

const any = (list: readonly RegExp[], text: string) => list.some((re) => re.test(text));

export interface Classified {
  /** The intents the wording fits, most specific first; a handler may decline and pass to the next. */
  intents: Intent[];
  /** The question normalised (lower case, plain quotes and arrows), without closing punctuation. */
  text: string;
}

const ORDER: readonly [Intent, readonly RegExp[]][] = [
  ['question-impact', QUESTION_IMPACT],
  ['what-if', WHAT_IF],
  ['questions', QUESTIONS],
  ['term', TERM],
  ['fix-first', FIX_FIRST],
  ['control', CONTROL],
  ['framework', FRAMEWORK],
  ['severity', SEVERITY],
  ['attack-paths', ATTACK_PATHS],
  ['overview', OVERVIEW],
  ['threats', THREATS],
];

/** The intents a question's wording fits, in the order they are tried. */
export function classify(question: string): Classified {
  const text = normalizeQuestion(question).replace(/[?!.\s]+$/, '');
  if (text === '' || any(HELP, text)) return { intents: ['help'], text };
  const intents: Intent[] = [];
  for (const [intent, patterns] of ORDER) if (any(patterns, text)) intents.push(intent);
  // "why" questions are about reasons, not about the list of questions or a definition.
  const why = /\bwhy\b/.test(text);
  return { intents: intents.filter((i) => !(why && (i === 'questions' || i === 'term'))), text };
}

/** Whether a term-shaped question ("what is X") — the caller checks that X is a known term. */
export function termObject(text: string): string | undefined {
  const m =
    /^(?:so\s+)?(?:what(?:'s| is| are)|whats|wtf is|define|definition of|explain|meaning of|what do you mean by|what is meant by|what'?s meant by|eli5|tell me what)\s+(.+?)(?:\s+(?:means?|stands? for|is))?$/.exec(
      text,
    ) ?? /^what (?:does|do)\s+(.+?)\s+(?:mean|stand for|refer to|do)$/.exec(text);
  if (!m) return undefined;
  return (m[1] as string)
    .replace(/^(?:an?|the)\s+/, '')
    .replace(/^(?:term|word|phrase|category|rule|finding|stride category)\s+/, '')
    .replace(/["'`]/g, '')
    .replace(/\s+(?:in stride|in this report|in threatkrew|in the report|here)$/, '')
    .trim();
}
