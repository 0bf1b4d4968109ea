import {
  appliesControl,
  dataReaches,
  enforces,
  grantCovers,
  isClient,
  isCrownJewel,
  touchesCrownJewels,
} from '../../../model/queries.js';
import type { Component } from '../../../model/schema.js';
import { type FlowFacts, nameOf, type View } from '../../../model/view.js';
import { defineRule, type Impact, type Unknown } from '../../define-rule.js';
import { dataList } from '../../factors.js';
import { searchFromEntries } from '../../shared/entry-search.js';
import { actingFlows, outsiderWrittenSources } from '../../shared/llm.js';
import { pathComponents } from '../../shared/paths.js';
import { uniqueById } from '../../shared/unique.js';

/** Clients and internet sources never count as screening anything. */
const canScreen = (view: View, c: Component) => !isClient(c) && !view.isInternetSource(c.id);

/** What an attacker who steers the LLM gets: the impact and a phrase for the message. */
function blastRadius(view: View, llm: Component): { impact: Impact; capability: string } {
  const acting = actingFlows(view, llm);
  const identity = view.identityOf(llm.id);
  const actingGrants = (identity?.grants ?? []).filter((g) =>
    (['write', 'delete', 'admin', 'invoke'] as const).some((a) => grantCovers(g, a)),
  );
  const holdsJewels = (id: string) => view.stored(id).some(isCrownJewel);
  const actsOnJewels =
    acting.some((f) => touchesCrownJewels(view, f)) ||
    actingGrants.some((g) => g.resource === '*' || holdsJewels(g.resource));
  const seen = [
    ...view.stored(llm.id),
    ...view
      .flowsFrom(llm.id)
      .flatMap((f) => (dataReaches(f.flow, 'from') ? [...f.data, ...view.stored(f.to.id)] : [])),
    ...view.flowsTo(llm.id).flatMap((f) => (dataReaches(f.flow, 'to') ? f.data : [])),
  ].filter(isCrownJewel);
  const unique = uniqueById(seen);
  const targets = [...new Set([...acting.map((f) => f.to.id), ...actingGrants.map((g) => g.resource)])];
  const impact: Impact = actsOnJewels
    ? 'very-high'
    : acting.length > 0 || unique.length > 0
      ? 'high'
      : 'medium';
  const capability =
    targets.length > 0
      ? `it can act on ${targets.map((t) => (t === '*' ? 'every resource' : view.label(t))).join(', ')}`
      : unique.length > 0
        ? `it can see ${dataList(unique)}`
        : 'its answers can be steered';
  return { impact, capability };
}

/**
 * The searches of a View (kept as `view.reachableVia` keeps its own, for a rule run again); the lenient
 * one is made only if some LLM needs it (see `lenientFor`).
 */
const searchCache = new WeakMap<View, Searches>();

type Search = ReadonlyMap<string, FlowFacts | null>;

interface Searches {
  strict: Search;
  lenient: Search | undefined;
}

/** Not known to filter content: lets traffic on in the lenient search. */
function notFiltering(view: View, c: Component): boolean {
  return !canScreen(view, c) || enforces(c, 'content-filtering') !== true;
}

/**
 * What `view.reachableVia` gives for the flows from a hop that is known not to filter content (strict),
 * as far as the LLMs need it. Whether a flow may be followed depends only on its `from` end, so it is
 * decided once per component reached rather than once per flow. Hardly anything reaches an LLM by the
 * strict rule: that search is confined to the components from which an LLM can be reached at all (found
 * backwards from the LLMs), which gives the same paths to the LLMs, since every component on a shortest
 * path to one of them is such a component and the search meets them in the same order.
 */
function searches(view: View, llms: readonly Component[]): Searches {
  let found = searchCache.get(view);
  if (!found) {
    const knownNotFiltering = (c: Component) =>
      !canScreen(view, c) || enforces(c, 'content-filtering') === false;
    found = {
      strict: searchFromEntries(view, knownNotFiltering, {
        within: ancestors(view, llms, knownNotFiltering),
      }),
      lenient: undefined,
    };
    searchCache.set(view, found);
  }
  return found;
}

/**
 * A search that answers, for this LLM, what the lenient search (from a hop not known to filter content)
 * answers: whether it reaches the LLM, and by which path. That search is the search over every flow
 * (`view.reachedVia()`, made once per View and shared) in which filtering components pass nothing on.
 * An LLM that the search over every flow does not reach, it does not reach either; where the shortest
 * route the search over every flow found passes only components that let traffic on, it finds that same
 * route (it meets the components of that route at the same level and in the same order). Only for an
 * LLM whose route passes a filtering component is the lenient search itself made (once, then kept).
 */
function lenientFor(view: View, llm: Component, found: Searches): Search {
  const reached = view.reachedVia();
  let cur = reached.get(llm.id);
  if (cur === undefined) return reached;
  while (cur) {
    if (!notFiltering(view, cur.from)) {
      found.lenient ??= searchFromEntries(view, (c) => notFiltering(view, c));
      return found.lenient;
    }
    cur = reached.get(cur.from.id);
  }
  return reached;
}

/** The components from which a chain of flows leaving only components that `passes` reaches `targets`. */
function ancestors(
  view: View,
  targets: readonly Component[],
  passes: (c: Component) => boolean,
): Set<string> {
  const seen = new Set<string>();
  const stack: string[] = [];
  for (const t of targets) {
    seen.add(t.id);
    stack.push(t.id);
  }
  while (stack.length > 0) {
    const inbound = view.flowsTo(stack.pop() as string);
    for (let i = 0; i < inbound.length; i++) {
      const from = (inbound[i] as FlowFacts).from;
      if (!seen.has(from.id) && passes(from)) {
        seen.add(from.id);
        stack.push(from.id);
      }
    }
  }
  return seen;
}

const describeEnforces = (c: Component) =>
  c.enforces === undefined
    ? `${c.id} does not state enforces`
    : `${c.id} enforces [${c.enforces.join(', ')}] (no content-filtering)`;

export default defineRule({
  meta: {
    id: 'llm-prompt-injection',
    title: 'Untrusted text reaches an LLM’s prompt without a guard',
    summary:
      'An LLM receives text that outsiders control, typed into a chat or planted in documents, tickets or web pages it reads, and nothing screens that text for injected instructions, so an attacker can override its instructions and use whatever it can see or do.',
    stride: ['tampering', 'elevation-of-privilege', 'information-disclosure'],
    cwe: ['CWE-1427'],
    capec: [],
    attack: [],
    compliance: {
      'nist-800-53': ['SI-10', 'SA-8'],
      'iso-27001-2022': ['A.8.26', 'A.8.28'],
      'pci-dss-4': ['6.2.4'],
      'owasp-asvs-5': ['V15.1.5', 'V15.2.5'],
      hipaa: ['164.312(c)(1)'],
    },
    assumes: ['enforces'],
    detection:
      'For every component of kind llm, the rule looks for untrusted text: directly, a chain of flows from an entry point to the LLM; indirectly, a flow from the LLM whose data travels back to it (a read, or a flow with mixed or unstated actions) from a component that internet-reachable or third-party components write or publish to, or fetches-urls: true on the LLM. It fires when the LLM itself has no content-filtering (in enforces or controls) and, for the direct case, no component on the chain before it enforces content-filtering. Clients never count as screening. Confirmed when the LLM and the components on the chain state their lists; assumed, with questions, otherwise (OWASP Top 10 for LLM Applications 2025, LLM01).',
    severityRationale:
      'Likelihood is likely when the internet reaches the LLM directly through components that do not screen prompts (anyone can type the attack) and possible when the text must first be planted in a store it reads. Impact is what the model can be made to do: very high when it writes, deletes, administers or invokes on crown-jewel data (by flows or grants), high when it can act at all or can read crown-jewel data, medium otherwise.',
    falsePositives:
      'A guard may exist outside the model (a prompt shield in the model provider, a moderation step in the calling service). Record it as content-filtering in the enforces of the component that screens the prompt, or in the controls of the LLM. A guard lowers but does not remove this risk; llm-excessive-agency and llm-retrieval-exposes-sensitive-data judge what a successful injection can reach.',
    references: [
      {
        title: 'OWASP Top 10 for LLM Applications 2025: LLM01 Prompt Injection',
        url: 'https://genai.owasp.org/llmrisk/llm01-prompt-injection/',
      },
      {
        title: 'OWASP LLM Prompt Injection Prevention Cheat Sheet',
        url: 'https://cheatsheetseries.owasp.org/cheatsheets/LLM_Prompt_Injection_Prevention_Cheat_Sheet.html',
      },
      {
        title: 'CWE-1427: Improper Neutralization of Input Used for LLM Prompting',
        url: 'https://cwe.mitre.org/data/definitions/1427.html',
      },
    ],
    messages: {
      direct:
        '{llm} takes text from the internet ({path}), and nothing on the way or at {llm} screens it for injected instructions, while {capability}.',
      indirect:
        '{llm} reads content that outsiders can write ({sources}), and nothing screens it for injected instructions before it enters the prompt, while {capability}.',
      unstated:
        '{llm} takes untrusted text ({how}), and the model does not say whether anything screens it for injected instructions, while {capability}.',
    },
    mitigation:
      'Screen the text that reaches {llm} from {origin} with an input guard (a prompt-injection classifier or content filter in front of the model), keep untrusted text in its own delimited role apart from the instructions, and give {llm} only the tools and data the current user may use: a filter lowers this risk but does not remove it.',
  },
  *detect(view) {
    const llms = view.components.filter((c) => c.kind === 'llm');
    if (llms.length === 0) return;
    const found = searches(view, llms);
    const strict = found.strict;
    for (const llm of llms) {
      const guard = appliesControl(llm, 'content-filtering');
      if (guard === true) continue;
      const lenient = lenientFor(view, llm, found);
      const directKnown = strict.has(llm.id);
      const direct = lenient.has(llm.id);
      const indirect = outsiderWrittenSources(view, llm);
      const fetches = llm['fetches-urls'] === true;
      if (!direct && indirect.length === 0 && !fetches) continue;

      const path = view.pathTo(directKnown ? strict : lenient, llm.id);
      const chain = pathComponents(path, llm);
      const hops = chain.slice(0, -1).filter((c) => canScreen(view, c));
      const knownUnguarded = directKnown || indirect.length > 0 || fetches;
      const unknowns: Unknown[] = [];
      if (guard === 'unknown') unknowns.push({ subject: llm.id, attribute: 'enforces' });
      if (!knownUnguarded)
        for (const h of hops)
          if (enforces(h, 'content-filtering') === 'unknown')
            unknowns.push({ subject: h.id, attribute: 'enforces' });
      const confirmed = unknowns.length === 0;

      const sourcesText = indirect
        .map(
          (s) =>
            `${nameOf(s.read.to)}, written by ${[...new Set(s.writes.map((w) => nameOf(w.from)))].join(', ')}`,
        )
        .join('; ');
      const pathText = chain.map((c) => c.id).join(' → ');
      const how = [
        ...(direct ? [`from the internet via ${pathText}`] : []),
        ...(indirect.length > 0 ? [`content written by outsiders in ${sourcesText}`] : []),
        ...(fetches ? ['web pages it fetches'] : []),
      ].join('; ');
      const { impact, capability } = blastRadius(view, llm);
      const origin = direct
        ? view.label(chain[0]?.id ?? llm.id)
        : [...indirect.map((s) => nameOf(s.read.to)), ...(fetches ? ['fetched web pages'] : [])].join(', ');

      yield {
        messageId: !confirmed ? 'unstated' : directKnown ? 'direct' : 'indirect',
        primary: [llm.id],
        subjects: [
          ...(direct ? [...chain.map((c) => c.id), ...path.map((f) => f.id)] : []),
          ...indirect.flatMap((s) => [s.read.id, s.read.to.id, ...s.writes.map((w) => w.id)]),
        ],
        likelihood: (confirmed ? directKnown : direct) ? 'likely' : 'possible',
        impact,
        confidence: confirmed ? 'confirmed' : 'assumed',
        data: {
          llm: nameOf(llm),
          path: pathText,
          sources: sourcesText,
          how,
          capability,
          origin,
        },
        evidence: [
          guard === false
            ? `${llm.id} has no content-filtering in enforces or controls`
            : `${llm.id} states neither enforces nor controls`,
          ...(direct
            ? [`reached from entry point ${chain[0]?.id} via ${pathText}`, ...hops.map(describeEnforces)]
            : []),
          ...indirect.flatMap((s) => [
            `flow ${s.read.id}: ${llm.id} reads from ${s.read.to.id}`,
            ...s.writes.map(
              (w) =>
                `flow ${w.id}: ${w.from.id} writes to ${w.to.id} (actions [${(w.flow.actions ?? []).join(', ')}])`,
            ),
          ]),
          ...(fetches ? [`${llm.id} fetches-urls: true`] : []),
        ],
        ...(confirmed ? {} : { unknowns }),
      };
    }
  },
});
