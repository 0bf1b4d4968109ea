import {
  dataReaches,
  hasControl,
  isClient,
  isCrownJewel,
  isDataStoreKind,
  isPassThrough,
  isThirdParty,
} from '../../../model/queries.js';
import type { Component } from '../../../model/schema.js';
import type { FlowFacts, View } from '../../../model/view.js';
import { defineRule } from '../../define-rule.js';
import { dataList } from '../../factors.js';
import { listText } from '../../shared/text.js';
import { uniqueById } from '../../shared/unique.js';

/** Flows that do not carry a client's requests or content onwards. */
const SIDE_CHANNELS = new Set(['telemetry', 'backup', 'replication']);

/** A flow that puts content into its `to` end (absent actions carry data both ways, DESIGN §3). */
const carriesContent = (f: FlowFacts) =>
  !SIDE_CHANNELS.has(f.flow.purpose ?? '') &&
  dataReaches(f.flow, 'to') &&
  (f.flow.actions === undefined ||
    f.flow.actions.some((a) => a === 'write' || a === 'publish' || a === 'invoke' || a === 'admin'));

/** The components a web client's requests land on: the first non-pass-through one on each chain. */
function servedBy(view: View, client: Component): Map<string, FlowFacts[]> {
  const served = new Map<string, FlowFacts[]>();
  const seen = new Set<string>([client.id]);
  const queue: { id: string; path: FlowFacts[] }[] = [{ id: client.id, path: [] }];
  while (queue.length > 0) {
    const { id, path } = queue.shift() as { id: string; path: FlowFacts[] };
    for (const f of view.flowsFrom(id)) {
      if (seen.has(f.to.id) || SIDE_CHANNELS.has(f.flow.purpose ?? '')) continue;
      seen.add(f.to.id);
      if (isPassThrough(f.to)) queue.push({ id: f.to.id, path: [...path, f] });
      else served.set(f.to.id, [...path, f]);
    }
  }
  return served;
}

/** Objects served as files; a store that holds only public data serves a static site. */
const onlyPublicFiles = (view: View, c: Component) => {
  const held = view.stored(c.id);
  return c.stores !== undefined && held.every((d) => d.classification === 'public');
};

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
    const clients = view.components.filter((c) => c.kind === 'web-client');
    if (clients.length === 0) return;
    // Components that receive content from internet-reachable senders, with the flows that bring it.
    const userContent = (id: string) =>
      view.flowsTo(id).filter((g) => carriesContent(g) && view.isInternetReachable(g.from.id));

    const byServer = new Map<string, { clients: Component[]; paths: FlowFacts[] }>();
    for (const w of clients) {
      for (const [id, path] of servedBy(view, w)) {
        const entry = byServer.get(id);
        if (entry) {
          entry.clients.push(w);
          entry.paths.push(...path);
        } else byServer.set(id, { clients: [w], paths: [...path] });
      }
    }
    for (const [id, { clients: served, paths }] of byServer) {
      const c = view.component(id) as Component;
      if (isThirdParty(view, c) || isClient(c) || c.kind === 'llm' || view.isInternetSource(c.id)) continue;
      if (isDataStoreKind(c) && (c.kind !== 'object-store' || onlyPublicFiles(view, c))) continue;
      if (hasControl(c, 'output-encoding') === true || c.enforces?.includes('output-encoding')) continue;

      const direct = userContent(c.id);
      const stores = view
        .flowsFrom(c.id)
        .filter((f) => dataReaches(f.flow, 'from') && isDataStoreKind(f.to))
        .map((f) => ({ store: f.to, writes: userContent(f.to.id).filter((g) => g.from.id !== c.id) }))
        .filter((s) => s.writes.length > 0);
      if (direct.length === 0 && stores.length === 0) continue;

      const onPath = new Set(paths.map((f) => f.id));
      const sources = [
        ...direct.map((g) =>
          onPath.has(g.id)
            ? `sent by ${served.map((w) => view.label(w.id)).join(', ')}`
            : `from ${view.label(g.from.id)}`,
        ),
        ...stores.map((s) => `read back from ${view.label(s.store.id)}`),
      ];
      const handled = [...paths.flatMap((f) => f.data), ...served.flatMap((w) => view.stored(w.id))];
      const crown = uniqueById(handled.filter(isCrownJewel));
      const admin = paths.some((f) => f.flow.actions?.includes('admin'));
      const confirmed = c.controls !== undefined;
      yield {
        messageId: confirmed ? 'unencoded' : 'encodingUnstated',
        primary: [c.id],
        subjects: [
          ...served.map((w) => w.id),
          ...paths.map((f) => f.id),
          ...direct.map((g) => g.id),
          ...stores.flatMap((s) => [s.store.id, ...s.writes.map((g) => g.id)]),
        ],
        likelihood: 'likely',
        impact: crown.length > 0 || admin ? 'high' : 'medium',
        confidence: confirmed ? 'confirmed' : 'assumed',
        data: {
          component: view.label(c.id),
          clients: served.map((w) => view.label(w.id)).join(', '),
          sources: [...new Set(sources)].slice(0, 3).join('; '),
        },
        evidence: [
          `${c.id} serves web client ${served.map((w) => w.id).join(', ')} (via ${[...new Set(paths.map((f) => f.id))].join(', ')})`,
          ...direct.map(
            (g) =>
              `flow ${g.id}: ${g.from.id} (internet-reachable) puts content into ${c.id}, actions ${listText(g.flow.actions)}`,
          ),
          ...stores.map(
            (s) =>
              `${c.id} reads ${s.store.id}, which receives content from ${s.writes.map((g) => g.from.id).join(', ')}`,
          ),
          `${c.id} controls: ${c.controls ? `[${c.controls.join(', ')}] (no output-encoding)` : 'not stated'}`,
          ...(crown.length > 0 ? [`the web client handles ${dataList(crown)}`] : []),
        ],
        ...(confirmed ? {} : { unknowns: [{ subject: c.id, attribute: 'controls' }] }),
      };
    }
  },
});
