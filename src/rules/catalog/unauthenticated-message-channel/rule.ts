import { isCrownJewel, mayWrite, segment } from '../../../model/queries.js';
import type { Boundary, Component } from '../../../model/schema.js';
import type { FlowFacts, View } from '../../../model/view.js';
import { type Draft, defineRule, type Impact, type Likelihood } from '../../define-rule.js';
import { dataImpact, dataList, flowLabel, maxImpact } from '../../factors.js';
import { statedAuthn } from '../../shared/evidence.js';
import { listText } from '../../shared/text.js';
import { uniqueById } from '../../shared/unique.js';

const PUBLISHING = new Set(['write', 'publish', 'invoke', 'delete', 'admin']);
const CONSUMING = new Set(['read', 'subscribe', 'admin']);

/** Does the flow publish into (or consume from) the channel? Absent actions: both. */
const publishes = (f: FlowFacts) => f.flow.actions?.some((a) => PUBLISHING.has(a)) ?? true;
const consumes = (f: FlowFacts) =>
  f.flow.actions === undefined || f.flow.actions.length === 0 || f.flow.actions.some((a) => CONSUMING.has(a));

/** Components that receive the channel's messages: subscribers that pull, and targets it pushes to. */
function consumers(view: View, channel: Component): Component[] {
  const pull = view
    .flowsTo(channel.id)
    .filter((f) => f.flow.actions?.some((a) => a === 'subscribe' || a === 'read'));
  const push = view.flowsFrom(channel.id);
  return uniqueById([...pull.map((f) => f.from), ...push.map((f) => f.to)]);
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
    const reasons = new Map<string, string | null>();
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
      yield draftFor(view, f, facts, reasons);
    }
  },
});

/** What the findings about the flows into one channel share. */
interface ChannelFacts {
  consumers: readonly Component[];
  /** The channel's network segment, when it also holds a component exposed to the internet. */
  neighbour: Boundary | undefined;
}

/**
 * The segments that hold a component exposed to the internet. The exposed components are those stated
 * public and those an internet source calls directly: both found from the entry points (a list the View
 * keeps), not by asking every component.
 */
function segmentsExposed(view: View): Set<string> {
  const exposedSegments = new Set<string>();
  const add = (c: Component) => {
    const s = segment(view, c);
    if (s) exposedSegments.add(s.id);
  };
  for (const c of view.entryPoints) {
    if (c.exposure === 'public') add(c);
    if (view.isInternetSource(c.id)) for (const f of view.flowsFrom(c.id)) add(f.to);
  }
  return exposedSegments;
}

function channelFacts(view: View, channel: Component, exposedSegments: ReadonlySet<string>): ChannelFacts {
  const seg = segment(view, channel);
  return {
    consumers: consumers(view, channel),
    neighbour: seg !== undefined && exposedSegments.has(seg.id) ? seg : undefined,
  };
}

/** The finding for an unauthenticated (or unstated) flow into a channel. */
function draftFor(view: View, f: FlowFacts, facts: ChannelFacts, cache: Map<string, string | null>): Draft {
  const channel = f.to;
  const pub = publishes(f);
  const sub = consumes(f);
  const readers: Component[] = [];
  for (const c of facts.consumers) if (c.id !== f.from.id) readers.push(c);
  const reasons: string[] = [];
  if (pub) {
    for (const c of readers) {
      let r = cache.get(c.id);
      if (r === undefined) {
        r = highValue(view, c) ?? null;
        cache.set(c.id, r);
      }
      if (r !== null) reasons.push(r);
    }
  }
  const stored = view.stored(channel.id);
  let impact: Impact = 'low';
  if (pub) impact = reasons.length > 0 ? 'high' : 'medium';
  if (sub) impact = maxImpact(impact, dataImpact(f.data), dataImpact(stored));
  const seg = facts.neighbour;
  const neighbour = seg !== undefined;
  const likelihood: Likelihood = f.crosses.length > 0 || neighbour ? 'likely' : 'possible';
  const can =
    pub && sub
      ? 'publish forged messages and read the ones meant for its consumers'
      : pub
        ? 'publish forged messages that its consumers act on'
        : 'read or drain the messages meant for its consumers';
  const data = {
    from: view.label(f.from.id),
    channel: view.label(channel.id),
    kind: channel.kind,
    flow: flowLabel(view, f),
    can,
  };
  const evidence = [
    `flow ${f.id}: authn ${statedAuthn(f)}, actions ${listText(f.flow.actions)}`,
    ...reasons,
    ...(f.crosses.length > 0 ? [`flow ${f.id} crosses ${f.crosses.map((b) => b.id).join(', ')}`] : []),
    ...(neighbour && seg ? [`${seg.id} also holds a component exposed to the internet`] : []),
    ...(sub && (f.data.length > 0 || stored.length > 0)
      ? [`${channel.id} carries ${dataList(uniqueById([...f.data, ...stored]))}`]
      : []),
  ];
  const common = {
    primary: [f.id],
    subjects: [f.from.id, channel.id, ...readers.map((c) => c.id)],
    likelihood,
    impact,
    data,
  };
  if (f.authn === 'none')
    return { ...common, messageId: 'unauthenticated', confidence: 'confirmed', evidence };
  return {
    ...common,
    messageId: 'unstated',
    confidence: 'assumed',
    evidence,
    unknowns: [{ subject: f.id, attribute: 'authn' }],
  };
}
