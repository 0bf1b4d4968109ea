/**
 * Security controls and transport: adding or removing controls, encrypting, and authentication methods.
 */
import type { FlowFacts } from '../../model/view.js';
import { AUTHN_METHODS, CONTROLS, FLOW_PURPOSES } from '../../model/vocabulary.js';
import type { Entity } from '../resolve.js';
import { andList, cmp } from '../text.js';
import type { Edit } from './change.js';
import { ADD_VERB, type ClauseParser, clarify, of, ok, REMOVE_VERB } from './clause.js';
import { AUTHN_PHRASES, CONTROL_PHRASES, findPhrase, findPhrases, has } from './phrases.js';

const PASS_THROUGH = new Set(['gateway', 'load-balancer', 'cdn', 'waf']);

/** Adding and removing controls: "api-gw enforced input validation", "remove audit logging from orders". */
export const parseControls: ClauseParser = (env, c) => {
  let text = c.text;
  // Names of elements may contain control words ("audit-log"): match controls outside mentions only.
  for (const m of [...c.mentions].sort((a, b) => b.start - a.start))
    text = text.slice(0, m.start) + ' '.repeat(m.end - m.start) + text.slice(m.end);
  const controls = findPhrases(text, CONTROL_PHRASES);
  if (controls.length === 0) return undefined;
  const remove = has(REMOVE_VERB, text);
  if (!remove && !has(ADD_VERB, text)) return undefined;
  const targets = of(c, ['component', 'flow', 'identity']);
  if (targets.length === 0)
    return clarify(`On which component? Name it by id, e.g. "what if cognito had ${controls[0]}?"`);
  const edits: Edit[] = [];
  const notes: string[] = [];
  for (const t of targets) {
    if (t.kind === 'flow') {
      const f = env.view.flow(t.id) as FlowFacts;
      if (controls.length === 1 && controls[0] === 'authentication') {
        return clarify(
          `A flow states how it authenticates (authn). Which method for ${t.id}? Valid: ${AUTHN_METHODS.filter((a) => a !== 'unknown').join(', ')}.`,
        );
      }
      return clarify(
        `${andList(controls)} ${controls.length === 1 ? 'is a control' : 'are controls'} of a component, not of a flow; say which end: ${f.from.id} or ${f.to.id}.`,
        [
          { kind: 'component', id: f.from.id, label: env.view.label(f.from.id) },
          { kind: 'component', id: f.to.id, label: env.view.label(f.to.id) },
        ],
      );
    }
    if (t.kind === 'identity') {
      const comps = env.view.runningAs(t.id);
      if (comps.length !== 1)
        return clarify(`Controls belong to components; which component running as ${t.id}?`);
    }
    const id = t.kind === 'identity' ? (env.view.runningAs(t.id)[0]?.id as string) : t.id;
    const comp = env.view.component(id);
    if (!comp) continue;
    for (const control of controls) {
      if (!(CONTROLS as readonly string[]).includes(control)) continue;
      let attribute: 'controls' | 'enforces';
      if (
        /\benforc/.test(text) ||
        /\bin front of\b|\bon the way\b|\bfor (?:traffic|requests|callers)\b|\bat the edge\b/.test(text)
      )
        attribute = 'enforces';
      else if (/\bitself\b|\bown\b/.test(text)) attribute = 'controls';
      else if (remove) {
        attribute =
          comp.enforces?.includes(control as never) && !comp.controls?.includes(control as never)
            ? 'enforces'
            : 'controls';
      } else attribute = PASS_THROUGH.has(comp.kind) ? 'enforces' : 'controls';
      if (remove) {
        const inAny = (['controls', 'enforces'] as const).filter((a) => comp[a]?.includes(control as never));
        if (inAny.length === 0) {
          return clarify(
            `${id} does not list ${control} (controls ${comp.controls ? `[${comp.controls.join(', ')}]` : 'not stated'}, enforces ${comp.enforces ? `[${comp.enforces.join(', ')}]` : 'not stated'}), so there is nothing to remove.`,
            [t],
          );
        }
        for (const a of inAny) edits.push({ op: 'remove', element: id, attribute: a, value: control });
      } else edits.push({ op: 'add', element: id, attribute, value: control });
    }
    if (t.kind === 'identity') notes.push(`${id} runs as ${t.id}; the control goes on the component.`);
  }
  return edits.length > 0 ? ok(edits, notes) : undefined;
};

/** "encrypt the replication flow", "orders-db were not encrypted at rest", "switch X to https". */
export const parseEncryption: ClauseParser = (env, c) => {
  const negative =
    /\b(?:not encrypted|unencrypted|decrypt(?:ed)?|disable(?:d)? (?:encryption|tls|ssl)|turn(?:ed)? off (?:encryption|tls)|without (?:encryption|tls|ssl)|in (?:the )?clear|plain ?text|drop(?:ped)? (?:tls|encryption)|stop(?:ped)? encrypting|no (?:tls|encryption))\b/.test(
      c.bare,
    );
  const positive =
    /\b(?:encrypt|encrypts|encrypted|encrypting|encryption|enable(?:d)? (?:tls|ssl)|turn(?:ed)? on (?:tls|ssl)|use(?:d|s)? (?:tls|ssl)|add(?:ed)? (?:tls|ssl)|over tls|with tls|tls|ssl)\b/.test(
      c.bare,
    );
  const protocol =
    /\b(?:(?:switch(?:ed)?|move(?:d)?|change(?:d)?|upgrade(?:d)?|migrate(?:d)?)\b.*\bto|use[ds]?|using|went|go(?:es)?|ran|run|runs)\s+(?:over\s+)?(https|grpcs|tls|rediss|kafka-tls|amqps|mqtts|ldaps|sftp|wss|http|grpc|redis|kafka-plaintext|amqp)\b/.exec(
      c.bare,
    );
  if (!negative && !positive && !protocol) return undefined;
  const value = protocol
    ? !/^(?:http|grpc|redis|kafka-plaintext|amqp)$/.test(protocol[1] as string)
    : !negative;
  const flows = of(c, ['flow']);
  const comps = of(c, ['component']);
  const data = of(c, ['data']);
  const transit =
    /\bin transit\b|\btraffic\b|\bconnections?\b|\bflows?\b|\bcalls?\b|\btls\b|\bssl\b|\bwire\b|\breplication\b|\bbetween\b|\bfrom\b/.test(
      c.bare,
    );
  const edits: Edit[] = [];
  const notes: string[] = [];
  const setFlow = (f: FlowFacts) => {
    if (protocol) {
      edits.push({ op: 'set', element: f.id, attribute: 'protocol', value: protocol[1] });
      if (f.flow.encrypted !== undefined)
        edits.push({
          op: 'set',
          element: f.id,
          attribute: 'encrypted',
          value: !/^(?:http|grpc|redis|kafka-plaintext|amqp)$/.test(protocol[1] as string),
        });
    } else edits.push({ op: 'set', element: f.id, attribute: 'encrypted', value });
  };
  if (flows.length > 0) {
    for (const f of flows) setFlow(env.view.flow(f.id) as FlowFacts);
    return ok(edits);
  }
  if (comps.length >= 2 && transit) {
    const [a, b] = comps as [Entity, Entity];
    const between = [
      ...env.view.flowsFrom(a.id).filter((f) => f.to.id === b.id),
      ...env.view.flowsFrom(b.id).filter((f) => f.to.id === a.id),
    ];
    if (between.length === 0)
      return clarify(`There is no flow between ${a.id} and ${b.id} to encrypt.`, [a, b]);
    for (const f of between) setFlow(f);
    return ok(edits);
  }
  if (comps.length > 0) {
    for (const comp of comps) {
      if (transit) {
        const flows2 = [...env.view.flowsFrom(comp.id), ...env.view.flowsTo(comp.id)].filter(
          (f) => f.encrypted !== value,
        );
        if (flows2.length === 0) {
          notes.push(`Every flow of ${comp.id} is already ${value ? 'encrypted' : 'unencrypted'}.`);
          continue;
        }
        for (const f of flows2.sort((x, y) => cmp(x.id, y.id))) setFlow(f);
        notes.push(
          `That is every flow to and from ${comp.id} that was not ${value ? 'encrypted' : 'in plaintext'}.`,
        );
      } else edits.push({ op: 'set', element: comp.id, attribute: 'encrypted-at-rest', value });
    }
    return edits.length > 0 ? ok(edits, notes) : clarify(notes.join(' '));
  }
  if (data.length > 0) {
    for (const d of data) {
      if (transit) {
        for (const f of env.view.flows.filter(
          (x) => x.data.some((y) => y.id === d.id) && x.encrypted !== value,
        ))
          setFlow(f);
      } else {
        for (const comp of env.view.components.filter((x) => x.stores?.includes(d.id)))
          edits.push({ op: 'set', element: comp.id, attribute: 'encrypted-at-rest', value });
      }
    }
    if (edits.length === 0)
      return clarify(`Nothing that holds or carries ${andList(data.map((d) => d.id))} would change.`);
    notes.push(
      `That is every ${transit ? 'flow carrying' : 'component storing'} ${andList(data.map((d) => d.id))}.`,
    );
    return ok(edits, notes);
  }
  // "encrypt the replication": the flows of one purpose, when the model has exactly one.
  const purpose = (FLOW_PURPOSES as readonly string[]).find((p) => new RegExp(`\\b${p}\\b`).test(c.bare));
  if (purpose) {
    const flowsOf = env.view.flows.filter((f) => f.flow.purpose === purpose);
    if (flowsOf.length === 1) {
      setFlow(flowsOf[0] as FlowFacts);
      notes.push(`The model has one ${purpose} flow: ${(flowsOf[0] as FlowFacts).id}.`);
      return ok(edits, notes);
    }
    if (flowsOf.length > 1)
      return clarify(
        `Which ${purpose} flow? ${andList(flowsOf.map((f) => f.id).sort(cmp), 'or')}.`,
        flowsOf.map((f) => ({ kind: 'flow', id: f.id, label: f.id })),
      );
  }
  return clarify(
    'What should be encrypted? Name a flow (its id, or "the flow from <a> to <b>") or a component (at rest).',
  );
};

/** "cart-checks-stock used mtls", "require oauth2 on the flow from X to Y", "no authentication on X". */
export const parseAuthn: ClauseParser = (env, c) => {
  const hit = findPhrase(c.bare, AUTHN_PHRASES);
  const generic = /\b(?:authenticat\w*|authn)\b/.test(c.bare);
  if (!hit && !generic) return undefined;
  if (!hit) {
    const flows = of(c, ['flow']);
    if (flows.length === 0) return undefined;
    return clarify(
      `Authenticated how? Say the method for ${andList(flows.map((f) => f.id))}: ${AUTHN_METHODS.filter((a) => a !== 'unknown').join(', ')}.`,
    );
  }
  if (hit.key === 'password' && /\bsecret|vault|store|manager\b/.test(c.bare)) return undefined;
  let flows: FlowFacts[] = of(c, ['flow']).map((f) => env.view.flow(f.id) as FlowFacts);
  const comps = of(c, ['component']);
  if (flows.length === 0 && comps.length >= 2) {
    const [a, b] = comps as [Entity, Entity];
    flows = env.view.flowsFrom(a.id).filter((f) => f.to.id === b.id);
    if (flows.length === 0) flows = env.view.flowsFrom(b.id).filter((f) => f.to.id === a.id);
    if (flows.length === 0) return clarify(`There is no flow between ${a.id} and ${b.id}.`, [a, b]);
  } else if (flows.length === 0 && comps.length === 1) {
    const target = comps[0] as Entity;
    flows = [...env.view.flowsTo(target.id)].sort((x, y) => cmp(x.id, y.id));
    if (flows.length === 0)
      return clarify(`Nothing calls ${target.id}, so there is no flow to authenticate.`, [target]);
  }
  if (flows.length === 0) return undefined;
  const notes =
    of(c, ['flow']).length === 0 && comps.length === 1
      ? [`That is every flow into ${(comps[0] as Entity).id}: ${andList(flows.map((f) => f.id))}.`]
      : [];
  return ok(
    flows.map((f) => ({ op: 'set', element: f.id, attribute: 'authn', value: hit.key })),
    notes,
  );
};
