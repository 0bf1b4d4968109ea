import { appliesControl, dataReaches, isCrownJewel, isMoney, mayWrite } from '../../../model/queries.js';
import type { Component, DataAsset } from '../../../model/schema.js';
import { type FlowFacts, nameOf, type View } from '../../../model/view.js';
import type { TriState } from '../../../model/vocabulary.js';
import { type Draft, defineRule, type Unknown } from '../../define-rule.js';
import { boundariesText, notAppliedText } from '../../shared/evidence.js';
import { uniqueById } from '../../shared/unique.js';

/** Boundaries that separate trust zones: a publisher on the far side is a different party. */
const TRUST_ZONES = new Set(['cloud-account', 'on-prem', 'third-party', 'network', 'cluster']);

const publishes = (f: FlowFacts) =>
  f.flow.actions === undefined || f.flow.actions.some((a) => a === 'publish' || a === 'write');
const subscribes = (f: FlowFacts) =>
  f.flow.actions === undefined || f.flow.actions.some((a) => a === 'subscribe' || a === 'read');

interface Consumer {
  component: Component;
  flows: FlowFacts[];
  why: string[];
}

/** Whether a component stores crown-jewel data, kept per component (many consumers write to one store). */
function holdsCrownJewels(view: View, id: string, memo: Map<string, boolean>): boolean {
  let yes = memo.get(id);
  if (yes === undefined) {
    yes = view.stored(id).some(isCrownJewel);
    memo.set(id, yes);
  }
  return yes;
}

/** The draft for one queue or stream, or undefined. The cheap tests (signing, publishers) come first. */
function channelDraft(view: View, q: Component, crownStores: Map<string, boolean>): Draft | undefined {
  const own = appliesControl(q, 'signing');
  if (own === true) return undefined;
  const inbound = view.flowsTo(q.id);
  const pubFlows: FlowFacts[] = [];
  const publishers: Component[] = [];
  for (const f of inbound) {
    if (!publishes(f)) continue;
    pubFlows.push(f);
    if (!publishers.some((p) => p.id === f.from.id)) publishers.push(f.from);
  }
  // A shared channel: several producers, at least one of them from another trust zone.
  if (publishers.length < 2) return undefined;
  const crossing = pubFlows.filter((f) => f.crosses.some((b) => TRUST_ZONES.has(b.kind)));
  const exposed = publishers.filter((p) => view.isInternetReachable(p.id));
  if (crossing.length === 0 && exposed.length === 0) return undefined;

  // Consumers: pull (a flow to the channel that subscribes or reads) or push (the channel delivers).
  const consumers = new Map<string, Consumer>();
  const addConsumer = (f: FlowFacts, c: Component) => {
    const entry = consumers.get(c.id);
    if (entry) entry.flows.push(f);
    else consumers.set(c.id, { component: c, flows: [f], why: [] });
  };
  for (const f of inbound)
    if (subscribes(f) && dataReaches(f.flow, 'from')) addConsumer(f, f.from.id === q.id ? f.to : f.from);
  for (const f of view.flowsFrom(q.id))
    if (dataReaches(f.flow, 'to')) addConsumer(f, f.from.id === q.id ? f.to : f.from);
  const highValue: Consumer[] = [];
  let money = false;
  let privileged = false;
  for (const c of consumers.values()) {
    const comp = c.component;
    if (comp.privileged === true) {
      c.why.push(`${comp.id} is privileged`);
      privileged = true;
    }
    for (const g of view.flowsFrom(comp.id)) {
      if (
        g.to.id !== q.id &&
        g.flow.actions !== undefined &&
        mayWrite(g.flow.actions) &&
        holdsCrownJewels(view, g.to.id, crownStores)
      )
        c.why.push(`${comp.id} writes to ${g.to.id}, which holds crown-jewel data (flow ${g.id})`);
    }
    const paid: DataAsset[] = [];
    for (const f of c.flows) for (const d of f.data) if (isMoney(d)) paid.push(d);
    if (paid.length > 0) {
      c.why.push(
        `${comp.id} receives ${uniqueById(paid)
          .map((d) => `${d.id} (${d.classification})`)
          .join(', ')} from ${q.id}`,
      );
      money = true;
    }
    if (c.why.length > 0) highValue.push(c);
  }
  if (highValue.length === 0) return undefined;
  const states = highValue.map((c) => appliesControl(c.component, 'signing'));
  const stateOf = new Map(highValue.map((c, i) => [c, states[i] as TriState]));
  const exposedConsumers = highValue.filter((_, i) => states[i] !== true);
  if (exposedConsumers.length === 0) return undefined;

  const unknowns: Unknown[] = [];
  if (own === 'unknown') unknowns.push({ subject: q.id, attribute: 'controls' });
  highValue.forEach((c, i) => {
    if (states[i] === 'unknown') unknowns.push({ subject: c.component.id, attribute: 'controls' });
  });
  const confirmed = unknowns.length === 0;
  const signers = publishers.filter((p) => appliesControl(p, 'signing') === true);
  const messageId =
    signers.length > 0 ? 'signedNotVerified' : confirmed ? 'unsigned' : 'verificationUnstated';
  return {
    messageId,
    primary: [q.id],
    subjects: [
      ...publishers.map((p) => p.id),
      ...pubFlows.map((f) => f.id),
      ...exposedConsumers.flatMap((c) => [c.component.id, ...c.flows.map((f) => f.id)]),
    ],
    likelihood: exposed.length > 0 ? 'likely' : 'possible',
    impact: money || privileged ? 'very-high' : 'high',
    confidence: confirmed ? 'confirmed' : 'assumed',
    data: {
      queue: nameOf(q),
      publishers: publishers.map((p) => nameOf(p)).join(', '),
      consumers: exposedConsumers.map((c) => nameOf(c.component)).join(', '),
      signers: signers.map((p) => nameOf(p)).join(', '),
    },
    evidence: [
      ...crossing.map(
        (f) =>
          `flow ${f.id}: ${f.from.id} publishes across ${boundariesText(f.crosses.filter((b) => TRUST_ZONES.has(b.kind)))}`,
      ),
      ...exposed.map((p) => `publisher ${p.id} is reachable from the internet`),
      ...exposedConsumers.flatMap((c) => c.why),
      `${q.id}: ${notAppliedText(own, 'signing')}`,
      ...exposedConsumers.map(
        (c) => `${c.component.id}: ${notAppliedText(stateOf.get(c) as TriState, 'signing')}`,
      ),
      ...signers.map((p) => `${p.id} signs what it publishes`),
    ],
    ...(confirmed ? {} : { unknowns }),
  };
}

export default defineRule({
  meta: {
    id: 'unverified-message-integrity',
    title: 'High-value consumers trust messages from a shared channel without verifying their origin',
    summary:
      'A queue or stream takes messages from publishers in different trust zones and feeds consumers that move money, write crown-jewel data or run privileged, but nothing signs or verifies individual messages, so any publisher, or anyone who gets its access, can forge messages those consumers act on.',
    stride: ['tampering', 'spoofing'],
    cwe: ['CWE-345', 'CWE-924'],
    capec: ['CAPEC-384', 'CAPEC-385', 'CAPEC-194'],
    attack: ['T1565.002'],
    compliance: {
      'nist-800-53': ['SI-7', 'SC-8', 'AU-10'],
      'iso-27001-2022': ['A.8.24', 'A.5.14'],
      soc2: ['CC6.7'],
      'owasp-asvs-5': ['V4.1.5'],
      hipaa: ['164.312(c)(1)', '164.312(e)(2)(i)'],
    },
    assumes: ['controls'],
    detection:
      'For each queue or stream, publishers are the components with flows into it that publish or write (or state no actions), and consumers are those that subscribe or read from it (or that it pushes to). It is considered when it is shared by at least two publishers that span trust zones (a publishing flow crosses a cloud-account, on-prem, third-party, network or cluster boundary, or a publisher is reachable from the internet) and it has a high-value consumer: one that is privileged, writes to a store holding crown-jewel data, or receives financial or card data from it. It fires when the channel does not apply signing and some high-value consumer does not verify it (signing in its controls or enforces). Confirmed when the channel and those consumers state their lists; assumed, with questions, otherwise. Authenticating the connection says who may publish, not who wrote a given message.',
    severityRationale:
      'Impact is high (forged business events), very high when the messages carry financial or card data or a consumer is privileged. Likelihood is possible, because the attacker needs publish access first; likely when a publisher is reachable from the internet.',
    falsePositives:
      'Messages may be signed in the payload (JWS, HMAC envelopes) or the broker may bind each message to its producer, without the model saying so. Record signing in the controls of the queue or of the consumers that verify; if every publisher sits in one trust zone with the consumers, the model should show them in one boundary.',
    references: [
      {
        title: 'OWASP Microservices Security Cheat Sheet',
        url: 'https://cheatsheetseries.owasp.org/cheatsheets/Microservices_Security_Cheat_Sheet.html',
      },
      {
        title: 'CWE-345: Insufficient Verification of Data Authenticity',
        url: 'https://cwe.mitre.org/data/definitions/345.html',
      },
    ],
    messages: {
      unsigned:
        '{queue} carries messages from publishers in different trust zones ({publishers}) to {consumers}, and nothing signs or verifies who wrote each message.',
      signedNotVerified:
        'Publishers sign what they put on {queue} ({signers}), but the signatures are not verified by {consumers}, so a message forged by anyone with publish access to {queue} is acted on just the same.',
      verificationUnstated:
        '{queue} carries messages from publishers in different trust zones ({publishers}) to {consumers}, and the model does not state that anything verifies who wrote each message.',
    },
    mitigation:
      'Sign each message where it is produced (a signature or HMAC over the payload with a per-publisher key, plus a timestamp or sequence number) and have {consumers} verify it and reject unknown signers before acting; restrict who may publish to {queue} to the producers that need it, and record signing in the controls of {consumers}.',
  },
  *detect(view) {
    const crownStores = new Map<string, boolean>();
    for (const q of view.components) {
      if (q.kind !== 'queue' && q.kind !== 'stream') continue;
      const draft = channelDraft(view, q, crownStores);
      if (draft !== undefined) yield draft;
    }
  },
});
