import { isCrownJewel, mayWrite, segment } from '../../../model/queries.js';
import type { Boundary, Component, DataAsset } from '../../../model/schema.js';
import { type FlowFacts, nameOf, type View } from '../../../model/view.js';
import { type Draft, defineRule, type Impact, type Likelihood } from '../../define-rule.js';
import { dataImpact, dataList, maxImpact } from '../../factors.js';
import { statedAuthn } from '../../shared/evidence.js';
import { listText } from '../../shared/text.js';
import { uniqueById } from '../../shared/unique.js';

const PUBLISHING = new Set(['write', 'publish', 'invoke', 'delete', 'admin']);
const CONSUMING = new Set(['read', 'subscribe', 'admin']);

/** Does the flow publish into (or consume from) the channel? Absent actions: both. */
const publishes = (f: FlowFacts) => f.flow.actions?.some((a) => PUBLISHING.has(a)) ?? true;
const consumes = (f: FlowFacts) =>
  f.flow.actions === undefined || f.flow.actions.length === 0 || f.flow.actions.some((a) => CONSUMING.has(a));

/**
 * Components that receive the channel's messages: subscribers that pull, and targets it pushes to; each
 * once, in the order first met (as `uniqueById` keeps them), with plain loops: asked once per channel.
 */
function consumers(view: View, channel: Component): Component[] {
  const out: Component[] = [];
  const seen = new Set<string>();
  const add = (c: Component) => {
    if (seen.has(c.id)) return;
    seen.add(c.id);
    out.push(c);
  };
  const into = view.flowsTo(channel.id);
  for (let i = 0; i < into.length; i++) {
    const f = into[i] as FlowFacts;
    const actions = f.flow.actions;
    if (actions !== undefined && (actions.includes('subscribe') || actions.includes('read'))) add(f.from);
  }
  const push = view.flowsFrom(channel.id);
  for (let i = 0; i < push.length; i++) add((push[i] as FlowFacts).to);
  return out;
}

/** A consumer whose reaction to a forged message is costly: privileged, deploying, or writing crown jewels. */
function highValue(view: View, c: Component): string | undefined {
  if (c.privileged === true) return `${c.id} is privileged`;
  const out = view.flowsFrom(c.id);
  const deploy = out.find((f) => f.flow.purpose === 'deploy');
  if (deploy) return `${c.id} deploys (flow ${deploy.id})`;
  const writes = out.find((f) => mayWrite(f.flow.actions) && view.stored(f.to.id).some(isCrownJewel));
  if (writes) return `${c.id} writes to ${writes.to.id}, which holds crown-jewel data`;
  return undefined;
}

export default defineRule({
  meta: {
    id: 'unauthenticated-message-channel',
    title: 'Producers or consumers use a queue or stream without authenticating',
    summary:
      'A queue or stream accepts connections that carry no authentication, so anything that can reach it can inject messages that consumers act on, or read and drain the messages meant for them.',
    stride: ['spoofing', 'tampering'],
    cwe: ['CWE-306', 'CWE-345'],
    capec: ['CAPEC-194', 'CAPEC-151'],
    attack: ['T1565.002'],
    compliance: {
      'nist-800-53': ['IA-3', 'AC-3', 'AC-4'],
      'iso-27001-2022': ['A.8.5', 'A.8.20'],
      soc2: ['CC6.1'],
      'owasp-asvs-5': ['V13.2.1'],
      hipaa: ['164.312(d)', '164.312(c)(1)'],
    },
    assumes: ['authn'],
    supersedes: ['implicit-trust-in-network'],
    detection:
      'A flow into a component of kind queue or stream, not from an internet source (an exposed channel is missing-authentication’s), whose authentication is none (confirmed) or not stated (assumed, with a question). One finding per connection. It replaces implicit-trust-in-network on the same flow, because a message channel fans one forged message out to every consumer.',
    severityRationale:
      'For a publishing connection, impact is high when a consumer of the channel is privileged, deploys, or writes to a store of crown-jewel data (a forged message becomes a privileged action), medium otherwise; for a consuming connection, it is the data the flow and the channel carry. A connection that does both takes the higher. Likelihood is possible (a foothold is needed), likely when the flow crosses a boundary or the channel shares its network segment with a component exposed to the internet.',
    falsePositives:
      'The broker may authenticate clients in a way the model does not show (SASL, IAM policies, mTLS on the listener). Record the method in the flow’s authn (iam, mtls, password, ...).',
    references: [
      {
        title: 'Apache Kafka documentation: Security',
        url: 'https://kafka.apache.org/documentation/#security',
      },
      {
        title: 'CWE-306: Missing Authentication for Critical Function',
        url: 'https://cwe.mitre.org/data/definitions/306.html',
      },
    ],
    messages: {
      unauthenticated:
        '{from} connects to the {kind} {channel} without authentication ({flow}), so anything that reaches {channel} can {can}.',
      unstated:
        'The flow {flow} does not state how {from} authenticates to the {kind} {channel}; if it does not, anything that reaches {channel} can {can}.',
    },
    mitigation:
      'Require client authentication on {channel} (SASL/SCRAM or OAUTHBEARER, mTLS, or cloud IAM) for {from}, and restrict with ACLs which identities may publish to and consume from each topic or queue.',
  },
  *detect(view) {
    // Per channel and per consumer, what every flow into the channel asks again: computed on first use.
    const channels = new Map<string, ChannelFacts>();
    const caches: Caches = { reasons: new Map(), crosses: new Map() };
    let exposedSegments: Set<string> | undefined;
    // Indexed: a for-of loop allocates a result object per element until the code is optimised.
    const flows = view.flows;
    for (let i = 0; i < flows.length; i++) {
      const f = flows[i] as FlowFacts;
      // Two comparisons rather than a set lookup: this runs for every flow of the model.
      const kind = f.to.kind;
      if (kind !== 'queue' && kind !== 'stream') continue;
      if (f.authn !== 'none' && f.authn !== 'unknown') continue;
      if (view.isInternetSource(f.from.id)) continue;
      exposedSegments ??= segmentsExposed(view);
      let facts = channels.get(f.to.id);
      if (facts === undefined) {
        facts = channelFacts(view, f.to, exposedSegments);
        channels.set(f.to.id, facts);
      }
      yield draftFor(view, f, facts, caches);
    }
  },
});

/** What the findings about the flows into one channel share. */
interface ChannelFacts {
  consumers: readonly Component[];
  /** The channel's network segment, when it also holds a component exposed to the internet. */
  neighbour: Boundary | undefined;
  label: string;
  stored: readonly DataAsset[];
  /** `dataImpact` of what the channel stores. */
  storedImpact: Impact;
  /** The "carries" evidence line for a flow that states no data (undefined: the channel stores none). */
  carries: string | undefined;
}

/**
 * The segments that hold a component exposed to the internet. The exposed components are those stated
 * public and those an internet source calls directly: both found from the entry points (a list the View
 * keeps), not by asking every component.
 */
function segmentsExposed(view: View): Set<string> {
  const exposedSegments = new Set<string>();
  const entries = view.entryPoints;
  for (let i = 0; i < entries.length; i++) {
    const c = entries[i] as Component;
    if (c.exposure === 'public') {
      const s = segment(view, c);
      if (s) exposedSegments.add(s.id);
    }
    if (!view.isInternetSource(c.id)) continue;
    const out = view.flowsFrom(c.id);
    for (let j = 0; j < out.length; j++) {
      const s = segment(view, (out[j] as FlowFacts).to);
      if (s) exposedSegments.add(s.id);
    }
  }
  return exposedSegments;
}

function channelFacts(view: View, channel: Component, exposedSegments: ReadonlySet<string>): ChannelFacts {
  const seg = segment(view, channel);
  const stored = view.stored(channel.id);
  return {
    consumers: consumers(view, channel),
    neighbour: seg !== undefined && exposedSegments.has(seg.id) ? seg : undefined,
    label: nameOf(channel),
    stored,
    storedImpact: dataImpact(stored),
    carries: stored.length > 0 ? `${channel.id} carries ${dataList(uniqueById(stored))}` : undefined,
  };
}

/**
 * "flow f crosses a, b" per list of crossed boundaries: the View shares one list among every flow
 * between the same two places, so the text is made once per list.
 */
function crossesLine(f: FlowFacts, texts: Map<readonly Boundary[], string>): string {
  let ids = texts.get(f.crosses);
  if (ids === undefined) {
    ids = f.crosses.map((b) => b.id).join(', ');
    texts.set(f.crosses, ids);
  }
  return `flow ${f.id} crosses ${ids}`;
}

/** Per-detect caches: the high-value reason per consumer (null: none), crossed boundaries' text. */
interface Caches {
  reasons: Map<string, string | null>;
  crosses: Map<readonly Boundary[], string>;
}

/** The finding for an unauthenticated (or unstated) flow into a channel. */
function draftFor(view: View, f: FlowFacts, facts: ChannelFacts, cache: Caches): Draft {
  const channel = f.to;
  const pub = publishes(f);
  const sub = consumes(f);
  const fromId = f.from.id;
  // Subjects: the producer, the channel, then every consumer but the producer.
  const subjects: string[] = [fromId, channel.id];
  const evidence: string[] = [`flow ${f.id}: authn ${statedAuthn(f)}, actions ${listText(f.flow.actions)}`];
  const consumerList = facts.consumers;
  for (let i = 0; i < consumerList.length; i++) {
    const c = consumerList[i] as Component;
    if (c.id === fromId) continue;
    subjects.push(c.id);
    if (!pub) continue;
    let r = cache.reasons.get(c.id);
    if (r === undefined) {
      r = highValue(view, c) ?? null;
      cache.reasons.set(c.id, r);
    }
    if (r !== null) evidence.push(r);
  }
  const highValueReaders = evidence.length > 1;
  const stored = facts.stored;
  let impact: Impact = 'low';
  if (pub) impact = highValueReaders ? 'high' : 'medium';
  if (sub) impact = maxImpact(impact, dataImpact(f.data), facts.storedImpact);
  const seg = facts.neighbour;
  const likelihood: Likelihood = f.crosses.length > 0 || seg !== undefined ? 'likely' : 'possible';
  const can =
    pub && sub
      ? 'publish forged messages and read the ones meant for its consumers'
      : pub
        ? 'publish forged messages that its consumers act on'
        : 'read or drain the messages meant for its consumers';
  const fromLabel = view.label(fromId);
  const data = {
    from: fromLabel,
    channel: facts.label,
    kind: channel.kind,
    // flowLabel(f), from the labels already in hand.
    flow: `${fromLabel} → ${facts.label}`,
    can,
  };
  if (f.crosses.length > 0) evidence.push(crossesLine(f, cache.crosses));
  if (seg !== undefined) evidence.push(`${seg.id} also holds a component exposed to the internet`);
  if (sub) {
    if (f.data.length === 0) {
      if (facts.carries !== undefined) evidence.push(facts.carries);
    } else {
      evidence.push(`${channel.id} carries ${dataList(uniqueById([...f.data, ...stored]))}`);
    }
  }
  // Written out rather than spread from a shared part: the same keys, in the same order.
  if (f.authn === 'none')
    return {
      primary: [f.id],
      subjects,
      likelihood,
      impact,
      data,
      messageId: 'unauthenticated',
      confidence: 'confirmed',
      evidence,
    };
  return {
    primary: [f.id],
    subjects,
    likelihood,
    impact,
    data,
    messageId: 'unstated',
    confidence: 'assumed',
    evidence,
    unknowns: [{ subject: f.id, attribute: 'authn' }],
  };
}
