import {
  dataReaches,
  isClient,
  isCrownJewel,
  isDataStoreKind,
  isPassThrough,
  isThirdParty,
} from '../../../model/queries.js';
import type { Component, DataAsset, Flow } from '../../../model/schema.js';
import { type FlowFacts, nameOf, type View } from '../../../model/view.js';
import { type Draft, defineRule } from '../../define-rule.js';
import { dataList } from '../../factors.js';
import { listText } from '../../shared/text.js';

/**
 * A flow that puts content into its `to` end (absent actions carry data both ways, DESIGN §3): not a
 * telemetry, backup or replication side channel, and with actions absent or including write, publish,
 * invoke or admin (any of which also makes the data reach `to`). Plain loops, no closures: it is asked
 * of every flow into every served component and every store they read.
 */
function carriesContent(flow: Flow): boolean {
  const purpose = flow.purpose;
  if (purpose !== undefined && isSideChannel(purpose)) return false;
  const actions = flow.actions;
  if (actions === undefined) return true;
  for (let i = 0; i < actions.length; i++) {
    const a = actions[i];
    if (a === 'write' || a === 'publish' || a === 'invoke' || a === 'admin') return true;
  }
  return false;
}

/** Flows that do not carry a client's requests or content onwards: telemetry, backup, replication. */
const isSideChannel = (purpose: string) =>
  purpose === 'telemetry' || purpose === 'backup' || purpose === 'replication';

/** A web client, with what every finding on a component it reaches names: its label and crown jewels. */
interface Client {
  client: Component;
  label: string;
  /** The crown-jewel data it stores (usually none). */
  jewels: readonly DataAsset[];
}

/** A component the web clients reach, the clients, and the flows (concatenated per client) by which they reach it. */
interface Served {
  server: Component;
  clients: Client[];
  paths: FlowFacts[];
}

const NO_DATA: readonly DataAsset[] = [];

/** A web client's facts, once per client rather than once per component it reaches. */
function clientFacts(view: View, client: Component): Client {
  let jewels: DataAsset[] | undefined;
  const held = view.stored(client.id);
  for (let i = 0; i < held.length; i++) {
    const d = held[i] as DataAsset;
    if (!isCrownJewel(d)) continue;
    jewels ??= [];
    jewels.push(d);
  }
  return { client, label: nameOf(client), jewels: jewels ?? NO_DATA };
}

/**
 * Records the components a web client's requests land on (the first non-pass-through one on each
 * chain) in `byServer` and, when first seen, in `order`, in the order a breadth-first search from the
 * client reaches them: the same order as collecting each client's servers first and merging them
 * afterwards, without the intermediate map.
 */
function addServed(view: View, client: Client, byServer: Map<string, Served>, order: Served[]): void {
  const seen = new Set<string>([client.client.id]);
  const queue: { id: string; path: FlowFacts[] }[] = [{ id: client.client.id, path: [] }];
  // An index into the queue rather than shift(), which moves the whole array each time.
  for (let next = 0; next < queue.length; next++) {
    const { id, path } = queue[next] as { id: string; path: FlowFacts[] };
    const out = view.flowsFrom(id);
    for (let i = 0; i < out.length; i++) {
      const f = out[i] as FlowFacts;
      const to = f.to;
      const purpose = f.flow.purpose;
      if (seen.has(to.id) || (purpose !== undefined && isSideChannel(purpose))) continue;
      seen.add(to.id);
      if (isPassThrough(to)) {
        queue.push({ id: to.id, path: [...path, f] });
        continue;
      }
      const entry = byServer.get(to.id);
      if (entry) {
        entry.clients.push(client);
        for (let j = 0; j < path.length; j++) entry.paths.push(path[j] as FlowFacts);
        entry.paths.push(f);
      } else {
        const added: Served = { server: to, clients: [client], paths: [...path, f] };
        byServer.set(to.id, added);
        order.push(added);
      }
    }
  }
}

/** Objects served as files; a store that holds only public data serves a static site. */
const onlyPublicFiles = (view: View, c: Component) => {
  const held = view.stored(c.id);
  return c.stores !== undefined && held.every((d) => d.classification === 'public');
};

/**
 * The flows that put content into a component from internet-reachable senders (`reached`: the View's
 * entry-point search), each component's list made once: a store that many servers read is scanned
 * once, not once per server. Shared lists: read-only.
 */
function userContentOf(
  view: View,
  reached: ReadonlyMap<string, unknown>,
  cache: Map<string, readonly FlowFacts[]>,
  id: string,
): readonly FlowFacts[] {
  let found = cache.get(id);
  if (found === undefined) {
    const into = view.flowsTo(id);
    let list: FlowFacts[] | undefined;
    for (let i = 0; i < into.length; i++) {
      const g = into[i] as FlowFacts;
      if (!carriesContent(g.flow) || !reached.has(g.from.id)) continue;
      list ??= [];
      list.push(g);
    }
    // Components without such flows share one empty list.
    found = list ?? NO_FLOWS;
    cache.set(id, found);
  }
  return found;
}

const NO_FLOWS: readonly FlowFacts[] = [];

/** A store the server reads, with the user-content flows into it that the server did not send itself. */
interface ReadStore {
  store: Component;
  writes: readonly FlowFacts[];
}

/** The stores a server reads back user content from (data stores whose reads bring data to it). */
function storesWithContent(
  view: View,
  reached: ReadonlyMap<string, unknown>,
  c: Component,
  cache: Map<string, readonly FlowFacts[]>,
): ReadStore[] | undefined {
  let stores: ReadStore[] | undefined;
  const out = view.flowsFrom(c.id);
  for (let i = 0; i < out.length; i++) {
    const f = out[i] as FlowFacts;
    if (!isDataStoreKind(f.to) || !dataReaches(f.flow, 'from')) continue;
    const all = userContentOf(view, reached, cache, f.to.id);
    if (all.length === 0) continue;
    // The cached list is kept when none of its flows comes from the server (the usual case).
    let writes = all;
    for (let j = 0; j < all.length; j++) {
      if ((all[j] as FlowFacts).from === c) {
        writes = all.filter((x) => x.from !== c);
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

/**
 * The finding for one served component, or undefined. Only the cheap rejections and the search for
 * user content are here; the draft is built by `draftFor`, for the components that report.
 */
function judge(
  view: View,
  reached: ReadonlyMap<string, unknown>,
  s: Served,
  cache: Map<string, readonly FlowFacts[]>,
  writersText: Map<readonly FlowFacts[], string>,
): Draft | undefined {
  const c = s.server;
  if (c.kind === 'llm' || isClient(c) || view.isInternetSource(c.id) || isThirdParty(view, c))
    return undefined;
  if (isDataStoreKind(c) && (c.kind !== 'object-store' || onlyPublicFiles(view, c))) return undefined;
  if (c.controls?.includes('output-encoding') || c.enforces?.includes('output-encoding')) return undefined;

  const direct = userContentOf(view, reached, cache, c.id);
  const stores = storesWithContent(view, reached, c, cache) ?? NO_STORES;
  if (direct.length === 0 && stores.length === 0) return undefined;
  return draftFor(c, s.clients, s.paths, direct, stores, writersText);
}

/** The finding on a served component that handles user content without output encoding. */
function draftFor(
  c: Component,
  served: readonly Client[],
  paths: readonly FlowFacts[],
  direct: readonly FlowFacts[],
  stores: readonly ReadStore[],
  writersText: Map<readonly FlowFacts[], string>,
): Draft {
  const subjects: string[] = [];
  const clientLabels: string[] = [];
  for (let i = 0; i < served.length; i++) {
    const w = served[i] as Client;
    clientLabels.push(w.label);
    subjects.push(w.client.id);
  }
  const clients = clientLabels.join(', ');
  const clientIds = subjects.join(', ');

  // The path flows, distinct: for the evidence, and to tell the clients' own requests from other sources.
  // Paths are a few flows long: a list answers membership, a set only for many clients.
  const onPath: string[] = [];
  const onPathSet = paths.length > 32 ? new Set<string>() : undefined;
  let admin = false;
  const handled: DataAsset[] = [];
  for (let i = 0; i < paths.length; i++) {
    const f = paths[i] as FlowFacts;
    if (onPathSet === undefined ? !onPath.includes(f.id) : !onPathSet.has(f.id)) {
      onPath.push(f.id);
      onPathSet?.add(f.id);
    }
    subjects.push(f.id);
    if (!admin && f.flow.actions?.includes('admin')) admin = true;
    const data = f.data;
    for (let j = 0; j < data.length; j++) {
      const d = data[j] as DataAsset;
      if (isCrownJewel(d)) handled.push(d);
    }
  }
  for (let i = 0; i < served.length; i++) {
    const jewels = (served[i] as Client).jewels;
    for (let j = 0; j < jewels.length; j++) handled.push(jewels[j] as DataAsset);
  }
  // Distinct by id, first occurrence first (uniqueById).
  const crown: DataAsset[] = [];
  if (handled.length > 0) {
    const ids = new Set<string>();
    for (let i = 0; i < handled.length; i++) {
      const d = handled[i] as DataAsset;
      if (ids.has(d.id)) continue;
      ids.add(d.id);
      crown.push(d);
    }
  }

  // The first three distinct sources for the message. The three kinds of text never equal each other:
  // each kind is told apart by what it names (one "sent by" text, then labels), not by comparing texts.
  const sources: string[] = [];
  let sentBy = false;
  const named: string[] = [];
  const evidence: string[] = [`${c.id} serves web client ${clientIds} (via ${onPath.join(', ')})`];
  for (let i = 0; i < direct.length; i++) {
    const g = direct[i] as FlowFacts;
    subjects.push(g.id);
    evidence.push(
      `flow ${g.id}: ${g.from.id} (internet-reachable) puts content into ${c.id}, actions ${listText(g.flow.actions)}`,
    );
    if (sources.length < 3) {
      if (onPathSet === undefined ? onPath.includes(g.id) : onPathSet.has(g.id)) {
        if (!sentBy) sources.push(`sent by ${clients}`);
        sentBy = true;
      } else {
        const from = nameOf(g.from);
        if (!named.includes(from)) {
          named.push(from);
          sources.push(`from ${from}`);
        }
      }
    }
  }
  const readBack: string[] = [];
  for (let i = 0; i < stores.length; i++) {
    const s = stores[i] as ReadStore;
    subjects.push(s.store.id);
    const writes = s.writes;
    for (let j = 0; j < writes.length; j++) subjects.push((writes[j] as FlowFacts).id);
    evidence.push(
      `${c.id} reads ${s.store.id}, which receives content from ${writersOf(writes, writersText)}`,
    );
    if (sources.length < 3) {
      const store = nameOf(s.store);
      if (!readBack.includes(store)) {
        readBack.push(store);
        sources.push(`read back from ${store}`);
      }
    }
  }
  evidence.push(
    `${c.id} controls: ${c.controls ? `[${c.controls.join(', ')}] (no output-encoding)` : 'not stated'}`,
  );
  if (crown.length > 0) evidence.push(`the web client handles ${dataList(crown)}`);

  const confirmed = c.controls !== undefined;
  const draft: Draft = {
    messageId: confirmed ? 'unencoded' : 'encodingUnstated',
    primary: [c.id],
    subjects,
    likelihood: 'likely',
    impact: crown.length > 0 || admin ? 'high' : 'medium',
    confidence: confirmed ? 'confirmed' : 'assumed',
    data: {
      component: nameOf(c),
      clients,
      sources: sources.join('; '),
    },
    evidence,
  };
  if (!confirmed) draft.unknowns = [{ subject: c.id, attribute: 'controls' }];
  return draft;
}

/**
 * "a, b": the senders of a store's user-content flows. A store's shared list (see `userContentOf`) is
 * named in the finding of every server that reads it: its text is made once.
 */
function writersOf(writes: readonly FlowFacts[], texts: Map<readonly FlowFacts[], string>): string {
  let text = texts.get(writes);
  if (text === undefined) {
    const writers: string[] = [];
    for (let j = 0; j < writes.length; j++) writers.push((writes[j] as FlowFacts).from.id);
    text = writers.join(', ');
    texts.set(writes, text);
  }
  return text;
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
    const components = view.components;
    const clients: Component[] = [];
    for (let i = 0; i < components.length; i++) {
      const c = components[i] as Component;
      if (c.kind === 'web-client') clients.push(c);
    }
    if (clients.length === 0) return;

    const byServer = new Map<string, Served>();
    // The served components in the order the searches first reach them (the map's order).
    const order: Served[] = [];
    for (let i = 0; i < clients.length; i++)
      addServed(view, clientFacts(view, clients[i] as Component), byServer, order);
    // "Internet-reachable" is membership in the View's entry-point search, asked directly.
    const reached = view.reachedVia();
    // Components that receive content from internet-reachable senders, with the flows that bring it.
    const userContent = new Map<string, readonly FlowFacts[]>();
    const writersText = new Map<readonly FlowFacts[], string>();
    for (let i = 0; i < order.length; i++) {
      const draft = judge(view, reached, order[i] as Served, userContent, writersText);
      if (draft) yield draft;
    }
  },
});
