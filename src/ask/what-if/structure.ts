/**
 * The shape of the model: adding and removing flows and components.
 */
import type { Component, Flow } from '../../model/schema.js';
import type { FlowFacts } from '../../model/view.js';
import { COMPONENT_KINDS, ID_PATTERN } from '../../model/vocabulary.js';
import type { Entity } from '../resolve.js';
import { andList } from '../text.js';
import { type ClauseParser, clarify, of, ok } from './clause.js';
import { AUTHN_PHRASES, CONTROL_PHRASES, findPhrase, findPhrases, KIND_WORDS } from './phrases.js';
/** Adding and removing flows. */
export const parseFlow: ClauseParser = (env, c) => {
  const fromTo = /\bfrom\s+.*?\s(?:to|into)\s/.exec(`${c.bare} `);
  const addFlow =
    /\b(?:add|added|adding|create|created|introduce|introduced|open|opened|allow|allowed|new)\b.*\b(?:flow|call|connection|link)\b/.test(
      c.bare,
    );
  const removeFlow =
    /\b(?:remove|removed|removing|delete|deleted|drop|dropped|cut|block|blocked|blocking|disable|disabled|kill|killed|close|closed|stop|stopped|eliminate|eliminated)\b.*\b(?:flow|call|connection|link|traffic)\b|\b(?:no longer|stopped|stops|never|did ?n[o']t|does ?n[o']t|do ?n[o']t)\s+(?:calls?|called|calling|talks?|talked|talking|connects?|connected|sends?|sent|writes?|wrote|reads?|read)\b/.test(
      c.bare,
    );
  const verbCall =
    /^\s*(?:(?:also|directly)\s+)?(?:called|calls|talked to|talks to|connected to|connects to|sent data to|sends data to|wrote to|writes to|read from|reads from|pushed to|pushes to|published to|publishes to)\s/.exec(
      c.bare,
    );
  if (!fromTo && !addFlow && !removeFlow && !verbCall) return undefined;
  const comps = of(c, ['component']);
  const flows = of(c, ['flow']);
  if (removeFlow) {
    if (flows.length > 0) return ok(flows.map((f) => ({ op: 'remove-flow', flow: f.id })));
    if (comps.length >= 2) {
      const [a, b] = comps as [Entity, Entity];
      const between = env.view.flowsFrom(a.id).filter((f) => f.to.id === b.id);
      if (between.length === 1) return ok([{ op: 'remove-flow', flow: (between[0] as FlowFacts).id }]);
      if (between.length > 1)
        return clarify(
          `There are ${between.length} flows from ${a.id} to ${b.id}: ${andList(between.map((f) => f.id))}. Which one?`,
          between.map((f) => ({ kind: 'flow', id: f.id, label: f.id })),
        );
      return clarify(`There is no flow from ${a.id} to ${b.id} in the model to remove.`, [a, b]);
    }
    return undefined;
  }
  if (addFlow || verbCall || fromTo) {
    if (comps.length < 2) {
      if (addFlow)
        return clarify(
          'Name both ends of the new flow by id: "what if we add a flow from <component> to <component> over https with mtls?"',
        );
      return undefined;
    }
    const [a, b] = comps as [Entity, Entity];
    const exists = env.view.flowsFrom(a.id).some((f) => f.to.id === b.id);
    if (exists && !addFlow) return undefined;
    const flow: Record<string, unknown> = { from: a.id, to: b.id };
    const proto =
      /\b(?:over|using|via|with|on)\s+(https|http|grpcs|grpc|tls|wss|ws|mtls|postgres|mysql|kafka-tls|kafka|amqps|amqp|rediss|redis|sftp|ftp|ssh|mqtts|mqtt|ldaps|ldap|smtp|smtps)\b/.exec(
        c.bare,
      );
    if (proto && proto[1] !== 'mtls') flow.protocol = proto[1];
    const authn = findPhrase(c.bare.replace(/\bapi keys? of\b/, ''), AUTHN_PHRASES);
    if (authn) flow.authn = authn.key;
    if (/\bunencrypted\b|\bnot encrypted\b|\bplaintext\b/.test(c.bare)) flow.encrypted = false;
    else if (/\bencrypted\b/.test(c.bare)) flow.encrypted = true;
    const id = /\b(?:called|named|with id|id)\s+(\S+)/.exec(c.bare)?.[1];
    if (id !== undefined && ID_PATTERN.test(id)) flow.id = id;
    if (exists && flow.id === undefined)
      return clarify(
        `A flow from ${a.id} to ${b.id} already exists; give the new one an id ("... called <id>").`,
      );
    const notes =
      flow.authn === undefined || flow.protocol === undefined
        ? [
            `The new flow states ${flow.protocol === undefined ? 'no protocol' : `protocol ${String(flow.protocol)}`} and ${flow.authn === undefined ? 'no authentication' : `authn ${String(flow.authn)}`}; what it leaves out is unknown to the rules.`,
          ]
        : [];
    return ok([{ op: 'add-flow', flow: flow as Flow }], notes);
  }
  return undefined;
};

/** Adding and removing components. */
export const parseComponent: ClauseParser = (_env, c) => {
  const add =
    /\b(?:add|added|adding|introduce|introduced|deploy|deployed|create|created|stand up|stood up|spin up|spun up)\s+(?:a|an|another)\s+(?:new\s+)?(?<kind>[a-z/ -]+?)\s+(?:called|named|with id|id)\s+(?<id>\S+)(?:\s+(?:in|inside|into)\s+(?<in>\S+))?$/.exec(
      c.text,
    );
  if (add?.groups) {
    const kindWord = (add.groups.kind as string).trim();
    const kind = (COMPONENT_KINDS as readonly string[]).includes(kindWord.replace(/ /g, '-'))
      ? kindWord.replace(/ /g, '-')
      : KIND_WORDS[kindWord];
    if (kind === undefined)
      return clarify(`'${kindWord}' is not a component kind; valid: ${COMPONENT_KINDS.join(', ')}.`);
    const id = add.groups.id as string;
    const component: Record<string, unknown> = { id, kind };
    if (add.groups.in !== undefined) component.in = add.groups.in;
    return ok([{ op: 'add-component', component: component as Component }]);
  }
  if (
    /\b(?:add|added|adding|introduce|deploy|create)\s+(?:a|an|another)\s+(?:new\s+)?(?:database|db|datastore|service|cache|queue|bucket|function|gateway|component|server|microservice)\b/.test(
      c.bare,
    ) &&
    of(c, ['component']).length === 0
  ) {
    return clarify(
      'Give the new component a kind and an id: "what if we add a cache called session-cache in data-subnets?"',
    );
  }
  const removal =
    /\b(?:remove|removed|removing|delete|deleted|deleting|decommission|decommissioned|retire|retired|shut down|shutdown|turn(?:ed)? off|kill|killed|get rid of|got rid of|drop|dropped|take down|took down|eliminate|eliminated|sunset|sunsetted)\b/.test(
      c.bare,
    );
  // "stop the nightly copy": stopping applies to a flow, never to a component.
  const stop =
    /\b(?:stop|stopped|stopping|halt|halted|cancel|cancelled|canceled|disable|disabled|pause|paused|cut|block|blocked)\b/.test(
      c.bare,
    );
  if (stop && !removal) {
    const flows = of(c, ['flow']);
    if (
      flows.length > 0 &&
      of(c, ['component']).length === 0 &&
      findPhrases(c.bare, CONTROL_PHRASES).length === 0
    )
      return ok(flows.map((f) => ({ op: 'remove-flow', flow: f.id })));
    return undefined;
  }
  if (!removal) return undefined;
  if (findPhrases(c.bare, CONTROL_PHRASES).length > 0) return undefined;
  if (/\bflow|call|connection|grant|permission|access|secret|assum|trust\b/.test(c.bare)) return undefined;
  const comps = of(c, ['component']);
  const flows = of(c, ['flow']);
  if (flows.length > 0 && comps.length === 0)
    return ok(flows.map((f) => ({ op: 'remove-flow', flow: f.id })));
  if (comps.length === 0) return undefined;
  return ok(comps.map((x) => ({ op: 'remove-component', component: x.id })));
};
