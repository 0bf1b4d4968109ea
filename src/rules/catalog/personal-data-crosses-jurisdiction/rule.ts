import { dataReaches, isThirdParty, jurisdiction } from '../../../model/queries.js';
import type { Component, DataAsset } from '../../../model/schema.js';
import { type FlowFacts, nameOf, type View } from '../../../model/view.js';
import { type Draft, defineRule, type Impact, type Unknown } from '../../define-rule.js';
import { dataList } from '../../factors.js';

const PERSONAL = new Set(['pii', 'phi']);
const personalImpact = (data: readonly DataAsset[]): Impact =>
  data.some((d) => d.classification === 'phi') ? 'very-high' : 'high';
const place = (j: string | undefined) => j ?? 'an unstated jurisdiction';

/** The personal data of a store whose stated residency excludes `j`, in order; undefined when none (no list made). */
function outsideResidency(stored: readonly DataAsset[], j: string): DataAsset[] | undefined {
  let wrong: DataAsset[] | undefined;
  for (let i = 0; i < stored.length; i++) {
    const d = stored[i] as DataAsset;
    if (PERSONAL.has(d.classification) && d.residency !== undefined && !d.residency.includes(j)) {
      wrong ??= [];
      wrong.push(d);
    }
  }
  return wrong;
}

/** An indexed loop: asked of every flow, where a for-of loop would allocate an iterator result per asset. */
function carriesPersonal(f: FlowFacts): boolean {
  const data = f.data;
  for (let i = 0; i < data.length; i++) if (PERSONAL.has((data[i] as DataAsset).classification)) return true;
  return false;
}

/** Where a component's jurisdiction would be stated: its nearest region, else its third-party boundary. */
const askAt = (view: View, c: Component) => view.nearest(c.id, 'region') ?? view.nearest(c.id, 'third-party');

type Kind = 'transfer' | 'residencyUnstated' | 'jurisdictionUnstated';
const PRIORITY: readonly Kind[] = ['transfer', 'residencyUnstated', 'jurisdictionUnstated'];

interface Issue {
  kind: Kind;
  data: DataAsset;
  dest: Component;
  src: Component;
  destJ: string | undefined;
  srcJ: string | undefined;
  unknowns: Unknown[];
}

export default defineRule({
  meta: {
    id: 'personal-data-crosses-jurisdiction',
    title: 'Personal data leaves the jurisdiction it is meant to stay in',
    summary:
      'Personal or health data is sent to, or stored in, a jurisdiction outside the ones it may be kept in, which breaks data-residency commitments and puts it under foreign legal access.',
    stride: ['information-disclosure'],
    cwe: ['CWE-359'],
    capec: [],
    attack: [],
    compliance: {
      'nist-800-53': ['CM-12', 'PT-2', 'SA-9(5)'],
      'iso-27001-2022': ['A.5.31', 'A.5.34'],
      'owasp-asvs-5': ['V14.1.1', 'V14.1.2'],
    },
    assumes: ['residency', 'jurisdiction'],
    detection:
      'A component’s jurisdiction is that of its nearest enclosing boundary that states one; a data item’s residency (extension) lists the jurisdictions where it may be stored and processed. Transfer: a flow carrying pii or phi toward an end (by the flow’s data direction) whose jurisdiction differs from the other end’s is confirmed when the data states a residency that does not include the receiving end’s jurisdiction; assumed, with a question on the data item, when the residency is not stated; and assumed, with a question on the region or third-party boundary of the end whose jurisdiction is not stated, when only one end’s jurisdiction is known and the flow is cross-region or goes to a third party (an end with neither boundary is not asked about). Storage: a component that stores pii or phi in a known jurisdiction outside the data’s residency is confirmed on that component; flows that bring the data into it are named there instead of being reported one by one. A flow whose receiving end is inside the residency, or whose ends share a jurisdiction, is not reported.',
    severityRationale:
      'Impact is high for pii and very high for phi: a transfer without a legal basis is a regulatory breach (GDPR chapter V, health-data localisation laws) and exposes the data to another state’s legal access. Likelihood is possible; likely when the receiving end is a third party, which the team cannot keep from storing or processing the data where it likes.',
    falsePositives:
      'The transfer may be lawful (an adequacy decision, standard contractual clauses, a BAA) or the data may be pseudonymised before it leaves. Add the receiving jurisdiction to the data item’s residency, or model the pseudonymised data as its own item with a lower classification. A wrong jurisdiction on a boundary is fixed on that boundary.',
    references: [
      {
        title: 'GDPR Chapter V: Transfers of personal data to third countries (Regulation (EU) 2016/679)',
        url: 'https://eur-lex.europa.eu/eli/reg/2016/679/oj',
      },
      {
        title: 'NIST SP 800-53 SA-9(5) Processing, Storage, and Service Location',
        url: 'https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final',
      },
    ],
    messages: {
      transfer:
        'The flow {flow} moves {data} from {fromJurisdiction} to {toJurisdiction}, outside where that data may be kept ({allowed}).',
      residencyUnstated:
        'The flow {flow} moves {data} from {fromJurisdiction} to {toJurisdiction}, and the model does not say where that data may be kept.',
      jurisdictionUnstated:
        'The flow {flow} moves {data} from {fromJurisdiction} to {toJurisdiction}, and the model does not say which jurisdiction {unstatedEnd} is in.',
      storage:
        '{destination} stores {data} in {toJurisdiction}, outside where that data may be kept ({allowed}).',
    },
    mitigation:
      'Keep {data} in {allowed}: run {destination} in {allowed}, or let only pseudonymised or aggregated data leave; where the transfer is needed and lawful, record its legal basis (adequacy decision, standard contractual clauses, BAA) and add the jurisdiction to the residency of the data.',
  },
  *detect(view) {
    // Jurisdiction and third-party status depend only on where a component sits: decided once per
    // boundary, as they are asked for both ends of every flow carrying personal data.
    const jurisdictionOf = (c: Component) => jurisdiction(view, c);
    const thirdParty = (c: Component) => isThirdParty(view, c);
    // Storage: a component holding personal data outside its residency (the root cause for flows into it).
    const misplaced = new Map<string, DataAsset[]>();
    // Indexed loops over the components and flows: a for-of loop allocates a result per element until
    // the code is optimised.
    const components = view.components;
    for (let i = 0; i < components.length; i++) {
      const c = components[i] as Component;
      if (c.stores === undefined) continue;
      const j = jurisdictionOf(c);
      if (j === undefined) continue;
      const wrong = outsideResidency(view.stored(c.id), j);
      if (wrong !== undefined) misplaced.set(c.id, wrong);
    }
    for (const [id, wrong] of misplaced) {
      const c = view.component(id) as Component;
      const j = jurisdictionOf(c) as string;
      const allowed = [...new Set(wrong.flatMap((d) => d.residency ?? []))].join(', ');
      const inbound = view
        .flowsTo(id)
        .filter((f) => dataReaches(f.flow, 'to') && f.data.some((d) => wrong.includes(d)));
      yield {
        messageId: 'storage',
        primary: [id],
        subjects: [...wrong.map((d) => d.id), ...inbound.map((f) => f.id)],
        likelihood: thirdParty(c) ? 'likely' : 'possible',
        impact: personalImpact(wrong),
        confidence: 'confirmed',
        data: { destination: view.label(id), data: dataList(wrong), toJurisdiction: j, allowed },
        evidence: [
          `${id} is in jurisdiction ${j}`,
          ...wrong.map((d) => `${d.id} (${d.classification}): residency [${(d.residency ?? []).join(', ')}]`),
          ...inbound.map((f) => `flow ${f.id} brings it in`),
        ],
      };
    }

    const flows = view.flows;
    for (let i = 0; i < flows.length; i++) {
      const f = flows[i] as FlowFacts;
      // Most flows carry no personal data, or run within one boundary or one jurisdiction (or two
      // unknown ones): then neither end is an issue, so they are passed over before any list is made.
      if (!carriesPersonal(f) || f.from.in === f.to.in) continue;
      if (jurisdictionOf(f.to) === jurisdictionOf(f.from)) continue;
      const issues = flowIssues(view, f, misplaced, jurisdictionOf, thirdParty);
      const draft = transferDraft(view, f, issues, thirdParty);
      if (draft) yield draft;
    }
  },
});

/**
 * The issues of a flow carrying personal data between two jurisdictions (one may be unknown): per end
 * its data reaches, per personal asset, a transfer outside the asset's residency or an unstated fact.
 */
function flowIssues(
  view: View,
  f: FlowFacts,
  misplaced: ReadonlyMap<string, DataAsset[]>,
  jurisdictionOf: (c: Component) => string | undefined,
  thirdParty: (c: Component) => boolean,
): Issue[] {
  const personal = f.data.filter((d) => PERSONAL.has(d.classification));
  const issues: Issue[] = [];
  const ends: [Component, Component][] = [];
  if (dataReaches(f.flow, 'to')) ends.push([f.to, f.from]);
  if (dataReaches(f.flow, 'from')) ends.push([f.from, f.to]);
  for (const [dest, src] of ends) {
    const destJ = jurisdictionOf(dest);
    const srcJ = jurisdictionOf(src);
    if (destJ === srcJ) continue; // the same jurisdiction, or neither known
    for (const d of personal) {
      if (misplaced.get(dest.id)?.includes(d)) continue; // reported on the store
      const base = { data: d, dest, src, destJ, srcJ };
      if (destJ !== undefined && d.residency !== undefined) {
        if (!d.residency.includes(destJ)) issues.push({ ...base, kind: 'transfer', unknowns: [] });
        continue;
      }
      if (destJ !== undefined && srcJ !== undefined) {
        issues.push({
          ...base,
          kind: 'residencyUnstated',
          unknowns: [{ subject: d.id, attribute: 'residency' }],
        });
        continue;
      }
      // One end's jurisdiction is unknown: ask only where a border is likely (another region, a third party).
      if (f.crossRegion !== true && !thirdParty(dest)) continue;
      const at = askAt(view, destJ === undefined ? dest : src);
      if (!at) continue;
      issues.push({
        ...base,
        kind: 'jurisdictionUnstated',
        unknowns: [
          { subject: at.id, attribute: 'jurisdiction' },
          ...(d.residency === undefined ? [{ subject: d.id, attribute: 'residency' }] : []),
        ],
      });
    }
  }
  return issues;
}

/** One finding per flow: the message of the most certain issue, every issue in the evidence. */
function transferDraft(
  view: View,
  f: FlowFacts,
  issues: readonly Issue[],
  thirdParty: (c: Component) => boolean,
): Draft | undefined {
  const kind = PRIORITY.find((k) => issues.some((i) => i.kind === k));
  if (kind === undefined) return undefined;
  // Lead with data leaving a component that stores it (its home) over data coming back into it.
  const ofKind = issues.filter((i) => i.kind === kind);
  const lead = ofKind.find((i) => view.stored(i.src.id).includes(i.data)) ?? (ofKind[0] as Issue);
  const shown = issues.filter((i) => i.kind === kind && i.dest === lead.dest);
  const data = [...new Set(shown.map((i) => i.data))];
  const allData = [...new Set(issues.map((i) => i.data))];
  const unstatedEnd = lead.destJ === undefined ? lead.dest : lead.src;
  const allowed =
    [...new Set(data.flatMap((d) => d.residency ?? []))].join(', ') ||
    (lead.srcJ !== undefined ? lead.srcJ : 'the jurisdictions it may be kept in');
  const confirmed = kind === 'transfer';
  return {
    messageId: kind,
    primary: [f.id],
    subjects: [f.from.id, f.to.id, ...allData.map((d) => d.id)],
    likelihood: issues.some((i) => thirdParty(i.dest)) ? 'likely' : 'possible',
    impact: personalImpact(allData),
    confidence: confirmed ? 'confirmed' : 'assumed',
    data: {
      flow: `${nameOf(f.from)} → ${nameOf(f.to)}`,
      data: dataList(data),
      fromJurisdiction: place(lead.srcJ),
      toJurisdiction: place(lead.destJ),
      unstatedEnd: nameOf(unstatedEnd),
      allowed,
      destination: nameOf(lead.dest),
    },
    evidence: [
      ...new Set(
        issues.flatMap((i) => [
          `flow ${f.id} carries ${i.data.id} (${i.data.classification}) from ${i.src.id} (${place(i.srcJ)}) to ${i.dest.id} (${place(i.destJ)})`,
          i.data.residency === undefined
            ? `${i.data.id}: residency not stated`
            : `${i.data.id}: residency [${i.data.residency.join(', ')}]`,
        ]),
      ),
    ],
    ...(confirmed ? {} : { unknowns: issues.flatMap((i) => i.unknowns) }),
  };
}
