import {
  dataReaches,
  hasControl,
  isClient,
  isCrownJewel,
  isDataStoreKind,
  isPassThrough,
  isThirdParty,
} from '../../../model/queries.js';
import type { Component, DataAsset } from '../../../model/schema.js';
import type { FlowFacts, View } from '../../../model/view.js';
import { type Draft, defineRule } from '../../define-rule.js';
import { dataList } from '../../factors.js';
import { listText } from '../../shared/text.js';

/** Flows that do not carry a client's requests or content onwards. */
const SIDE_CHANNELS = new Set(['telemetry', 'backup', 'replication']);

/** A flow that puts content into its `to` end (absent actions carry data both ways, DESIGN §3). */
const carriesContent = (f: FlowFacts) =>
  !SIDE_CHANNELS.has(f.flow.purpose ?? '') &&
  dataReaches(f.flow, 'to') &&
  (f.flow.actions === undefined ||
    f.flow.actions.some((a) => a === 'write' || a === 'publish' || a === 'invoke' || a === 'admin'));

/** The web clients a component serves, and the flows (concatenated per client) by which they reach it. */
interface Served {
  clients: Component[];
  paths: FlowFacts[];
}

/**
 * Records the components a web client's requests land on (the first non-pass-through one on each
 * chain) in `byServer`, in the order a breadth-first search from the client reaches them: the same
 * order as collecting each client's servers first and merging them afterwards, without the
 * intermediate map.
 */
function addServed(view: View, client: Component, byServer: Map<string, Served>): void {
  const seen = new Set<string>([client.id]);
  const queue: { id: string; path: FlowFacts[] }[] = [{ id: client.id, path: [] }];
  // An index into the queue rather than shift(), which moves the whole array each time.
  for (let next = 0; next < queue.length; next++) {
    const { id, path } = queue[next] as { id: string; path: FlowFacts[] };
    for (const f of view.flowsFrom(id)) {
      if (seen.has(f.to.id) || SIDE_CHANNELS.has(f.flow.purpose ?? '')) continue;
      seen.add(f.to.id);
      if (isPassThrough(f.to)) {
        queue.push({ id: f.to.id, path: [...path, f] });
        continue;
      }
      const entry = byServer.get(f.to.id);
      if (entry) {
        entry.clients.push(client);
        for (const p of path) entry.paths.push(p);
        entry.paths.push(f);
      } else byServer.set(f.to.id, { clients: [client], paths: [...path, f] });
    }
  }
}

/** Objects served as files; a store that holds only public data serves a static site. */
const onlyPublicFiles = (view: View, c: Component) => {
  const held = view.stored(c.id);
  return c.stores !== undefined && held.every((d) => d.classification === 'public');
};

/**
 * The flows that put content into a component from internet-reachable senders, each component's list
 * made once: a store that many servers read is scanned once, not once per server. Shared lists:
 * read-only.
 */
function userContentOf(
  view: View,
  cache: Map<string, readonly FlowFacts[]>,
  id: string,
): readonly FlowFacts[] {
  let found = cache.get(id);
  if (found === undefined) {
    const list: FlowFacts[] = [];
    for (const g of view.flowsTo(id))
      if (carriesContent(g) && view.isInternetReachable(g.from.id)) list.push(g);
    found = list;
    cache.set(id, found);
  }
  return found;
}

/** A store the server reads, with the user-content flows into it that the server did not send itself. */
interface ReadStore {
  store: Component;
  writes: readonly FlowFacts[];
}

/** The stores a server reads back user content from (data stores whose reads bring data to it). */
function storesWithContent(
  view: View,
  c: Component,
  cache: Map<string, readonly FlowFacts[]>,
): ReadStore[] | undefined {
  let stores: ReadStore[] | undefined;
  for (const f of view.flowsFrom(c.id)) {
    if (!isDataStoreKind(f.to) || !dataReaches(f.flow, 'from')) continue;
    const all = userContentOf(view, cache, f.to.id);
    if (all.length === 0) continue;
    // The cached list is kept when none of its flows comes from the server (the usual case).
    let writes = all;
    for (const g of all) {
      if (g.from.id === c.id) {
        writes = all.filter((x) => x.from.id !== c.id);
        break;
      }
    }
    if (writes.length === 0) continue;
    stores ??= [];
    stores.push({ store: f.to, writes });
  }
  return stores;
}

const NO_STORES: readonly ReadStore[] = [];

/** The finding for one served component, or undefined; the cheap checks come first. */
function judge(
  view: View,
  id: string,
  served: readonly Component[],
  paths: readonly FlowFacts[],
  cache: Map<string, readonly FlowFacts[]>,
): Draft | undefined {
  const c = view.component(id) as Component;
  if (c.kind === 'llm' || isClient(c) || view.isInternetSource(c.id) || isThirdParty(view, c))
    return undefined;
  if (isDataStoreKind(c) && (c.kind !== 'object-store' || onlyPublicFiles(view, c))) return undefined;
  if (hasControl(c, 'output-encoding') === true || c.enforces?.includes('output-encoding')) return undefined;

  const direct = userContentOf(view, cache, c.id);
  const stores = storesWithContent(view, c, cache) ?? NO_STORES;
  if (direct.length === 0 && stores.length === 0) return undefined;

  const clientLabels: string[] = [];
  const clientIds: string[] = [];
  for (const w of served) {
    clientLabels.push(view.label(w.id));
    clientIds.push(w.id);
  }
  const clients = clientLabels.join(', ');

  // The path flows, distinct: for the evidence, and to tell the clients' own requests from other sources.
  const onPath = new Set<string>();
  const subjects: string[] = [...clientIds];
  let admin = false;
  const handled: DataAsset[] = [];
  for (const f of paths) {
    onPath.add(f.id);
    subjects.push(f.id);
    if (!admin && f.flow.actions?.includes('admin')) admin = true;
    for (const d of f.data) if (isCrownJewel(d)) handled.push(d);
  }
  for (const w of served) for (const d of view.stored(w.id)) if (isCrownJewel(d)) handled.push(d);
  // Distinct by id, first occurrence first (uniqueById).
  const crown: DataAsset[] = [];
  if (handled.length > 0) {
    const ids = new Set<string>();
    for (const d of handled) {
      if (ids.has(d.id)) continue;
      ids.add(d.id);
      crown.push(d);
    }
  }

  // The first three distinct sources for the message.
  const sources: string[] = [];
  const evidence: string[] = [
    `${c.id} serves web client ${clientIds.join(', ')} (via ${[...onPath].join(', ')})`,
  ];
  for (const g of direct) {
    subjects.push(g.id);
    evidence.push(
      `flow ${g.id}: ${g.from.id} (internet-reachable) puts content into ${c.id}, actions ${listText(g.flow.actions)}`,
    );
    if (sources.length < 3) {
      const s = onPath.has(g.id) ? `sent by ${clients}` : `from ${view.label(g.from.id)}`;
      if (!sources.includes(s)) sources.push(s);
    }
  }
  for (const s of stores) {
    subjects.push(s.store.id);
    const writers: string[] = [];
    for (const g of s.writes) {
      subjects.push(g.id);
      writers.push(g.from.id);
    }
    evidence.push(`${c.id} reads ${s.store.id}, which receives content from ${writers.join(', ')}`);
    if (sources.length < 3) {
      const text = `read back from ${view.label(s.store.id)}`;
      if (!sources.includes(text)) sources.push(text);
    }
  }
  evidence.push(
    `${c.id} controls: ${c.controls ? `[${c.controls.join(', ')}] (no output-encoding)` : 'not stated'}`,
  );
  if (crown.length > 0) evidence.push(`the web client handles ${dataList(crown)}`);

  const confirmed = c.controls !== undefined;
  return {
    messageId: confirmed ? 'unencoded' : 'encodingUnstated',
    primary: [c.id],
    subjects,
    likelihood: 'likely',
    impact: crown.length > 0 || admin ? 'high' : 'medium',
    confidence: confirmed ? 'confirmed' : 'assumed',
    data: {
      component: view.label(c.id),
      clients,
      sources: sources.join('; '),
    },
    evidence,
    ...(confirmed ? {} : { unknowns: [{ subject: c.id, attribute: 'controls' }] }),
  };
}

export default defineRule({
  meta: {
    id: 'unencoded-output-to-web-client',
    title: 'Web application renders user-controlled content without output encoding',
    summary:
      'A component that serves a browser client handles content that users control but does not encode its output, so injected script (cross-site scripting) runs in other users’ browsers with their session.',
    stride: ['tampering', 'information-disclosure'],
    cwe: ['CWE-79', 'CWE-116'],
    capec: ['CAPEC-63', 'CAPEC-592', 'CAPEC-591', 'CAPEC-588'],
    attack: ['T1189'],
    compliance: {
      'nist-800-53': ['SI-10', 'SI-15'],
      'iso-27001-2022': ['A.8.26', 'A.8.28'],
      'pci-dss-4': ['6.2.4'],
      'owasp-asvs-5': ['V1.1.2', 'V1.2.1', 'V3.2.2', 'V3.4.3'],
      hipaa: ['164.312(c)(1)'],
    },
    assumes: ['controls'],
    detection:
      'For each web-client component, the rule follows its flows through pass-through components (gateway, load balancer, CDN, WAF) to the components that serve it. A served component handles user-controlled content when it receives flows that put content into it (actions write, publish, invoke or admin, or none stated) from internet-reachable components, or when it reads a store that receives such flows (stored content). It is reported when its controls lack output-encoding: confirmed when controls is stated, assumed with a question when it is not. Third parties, LLMs (judged by llm-unfiltered-output), data stores other than object stores, and object stores holding only public data are skipped.',
    severityRationale:
      'Likelihood is likely: the content is attacker-controlled by construction and reaches a browser. Impact is medium (session and action hijack in the victim’s browser), high when the web client handles crown-jewel data or the flows on the way include admin actions.',
    falsePositives:
      'Encoding may be done by the rendering framework (React, Angular and most server templates escape by default) or by a component the model does not show. Add output-encoding to the controls of the serving component; if the content is never rendered as markup, state the flows’ actions so the model shows it does not carry user content.',
    references: [
      {
        title: 'OWASP Cross Site Scripting Prevention Cheat Sheet',
        url: 'https://cheatsheetseries.owasp.org/cheatsheets/Cross_Site_Scripting_Prevention_Cheat_Sheet.html',
      },
      {
        title: 'CWE-79: Improper Neutralization of Input During Web Page Generation',
        url: 'https://cwe.mitre.org/data/definitions/79.html',
      },
    ],
    messages: {
      unencoded:
        '{component} serves {clients} and handles content that users control ({sources}), but does not encode its output, so injected script would run in other users’ browsers.',
      encodingUnstated:
        '{component} serves {clients} and handles content that users control ({sources}); the model does not state that it encodes its output.',
    },
    mitigation:
      'Encode every output of {component} for its context (HTML body, attribute, JavaScript, URL) with a template engine that escapes by default, sanitize any rich text it must render with an allow-list sanitizer, and send a strict Content-Security-Policy to {clients}; then record output-encoding in the controls of {component}.',
  },
  *detect(view) {
    const clients: Component[] = [];
    for (const c of view.components) if (c.kind === 'web-client') clients.push(c);
    if (clients.length === 0) return;

    const byServer = new Map<string, Served>();
    for (const w of clients) addServed(view, w, byServer);
    // Components that receive content from internet-reachable senders, with the flows that bring it.
    const userContent = new Map<string, readonly FlowFacts[]>();
    for (const [id, { clients: served, paths }] of byServer) {
      const draft = judge(view, id, served, paths, userContent);
      if (draft) yield draft;
    }
  },
});
