/**
 * Candidate fixes: for a finding, the model changes that say "the mitigation is in place" in the model's
 * own terms (a control added, an attribute set, a grant narrowed). They are only candidates: fix-first
 * and "what if we fix X" re-analyse each one and keep what a real re-analysis shows it resolves.
 */
import type { Finding } from '../engine/analysis.js';
import type { Component } from '../model/schema.js';
import type { FlowFacts, View } from '../model/view.js';
import type { Control } from '../model/vocabulary.js';
import type { Env } from './env.js';
import type { Edit } from './what-if/change.js';
import { rightSize } from './what-if/grants.js';

const PASS_THROUGH = new Set(['gateway', 'load-balancer', 'cdn', 'waf']);

function addControl(c: Component, control: Control, where?: 'controls' | 'enforces'): Edit[] {
  const attribute = where ?? (PASS_THROUGH.has(c.kind) ? 'enforces' : 'controls');
  if (c[attribute]?.includes(control)) return [];
  return [{ op: 'add', element: c.id, attribute, value: control }];
}

type Maker = (env: Env, f: Finding, view: View) => Edit[][];

const onComponent =
  (control: Control, where?: 'controls' | 'enforces'): Maker =>
  (_env, f, view) => {
    const c = view.component(f.primary[0] as string);
    if (!c) return [];
    const e = addControl(c, control, where);
    return e.length > 0 ? [e] : [];
  };

const setOnPrimary =
  (attribute: string, value: unknown): Maker =>
  (_env, f, view) => {
    const id = f.primary[0] as string;
    if (view.kindOf(id) === undefined) return [];
    return [[{ op: 'set', element: id, attribute, value }]];
  };

const flowOf = (f: Finding, view: View): FlowFacts | undefined => view.flow(f.primary[0] as string);

/** Candidate changes by rule id; each entry lists alternatives, each alternative one change. */
const MAKERS: Readonly<Record<string, Maker>> = {
  'authentication-without-authorization': onComponent('authorization', 'controls'),
  'broken-network-trust-assumption': (_env, f, view) => {
    const c = view.component(f.primary[0] as string);
    if (!c) return [];
    const inbound = view.flowsTo(c.id).filter((x) => x.authnStrength !== 'strong');
    const out: Edit[][] = [];
    if (inbound.length > 0)
      out.push(inbound.map((x) => ({ op: 'set', element: x.id, attribute: 'authn', value: 'mtls' })));
    if (c.assumes?.includes('network-trusted'))
      out.push([{ op: 'remove', element: c.id, attribute: 'assumes', value: 'network-trusted' }]);
    return out;
  },
  'crown-jewels-without-backup': onComponent('backup', 'controls'),
  'deployment-bypassing-pipeline': (_env, f, view) =>
    flowOf(f, view) ? [[{ op: 'remove-flow', flow: f.primary[0] as string }]] : [],
  'exposed-build-infrastructure': onComponent('ip-allowlist', 'enforces'),
  'exposed-container-control-plane': (env, f, view) => [
    ...onComponent('ip-allowlist', 'enforces')(env, f, view),
    ...setOnPrimary('exposure', 'internal')(env, f, view),
  ],
  'exposed-monitoring-interface': setOnPrimary('exposure', 'internal'),
  'exposed-search-engine': setOnPrimary('exposure', 'internal'),
  'gateway-validation-assumption': onComponent('input-validation', 'controls'),
  'implicit-trust-in-network': setOnPrimary('authn', 'mtls'),
  'llm-excessive-agency': onComponent('human-approval', 'controls'),
  'llm-prompt-injection': onComponent('content-filtering', 'enforces'),
  'llm-unaudited-actions': onComponent('audit-logging', 'controls'),
  'llm-unbounded-consumption': onComponent('rate-limiting', 'controls'),
  'llm-unfiltered-output': onComponent('content-filtering', 'controls'),
  'long-lived-credentials': setOnPrimary('credentials', 'short-lived'),
  'long-lived-deploy-credentials': setOnPrimary('credentials', 'short-lived'),
  'missing-audit-logging': onComponent('audit-logging', 'controls'),
  'missing-authentication': onComponent('authentication'),
  'missing-monitoring': onComponent('monitoring', 'controls'),
  'missing-network-segmentation': onComponent('network-policy', 'controls'),
  'missing-rate-limiting': onComponent('rate-limiting'),
  'missing-waf-on-public-web-entry': onComponent('waf', 'enforces'),
  'non-production-access-to-production': (_env, f, view) =>
    flowOf(f, view) ? [[{ op: 'remove-flow', flow: f.primary[0] as string }]] : [],
  'over-privileged-identity': (env, f) => {
    const edits = rightSize(env, f.primary[0] as string);
    return edits.length > 0 ? [edits] : [];
  },
  'privileged-workload': setOnPrimary('privileged', false),
  'public-datastore': setOnPrimary('exposure', 'internal'),
  'repudiable-high-value-transaction': (_env, f, view) => {
    const flow = flowOf(f, view);
    if (!flow) return [];
    const e = addControl(flow.from, 'signing', 'controls');
    return e.length > 0 ? [e] : [];
  },
  'secrets-in-config': setOnPrimary('secrets-in', ['secret-store']),
  'sensitive-data-in-unencrypted-cache': setOnPrimary('encrypted-at-rest', true),
  'sensitive-data-on-client-device': setOnPrimary('encrypted-at-rest', true),
  'sensitive-data-sent-to-llm': (_env, f, view) => {
    const flow = flowOf(f, view);
    const target = flow?.to ?? view.component(f.primary[0] as string);
    return target ? [[{ op: 'set', element: target.id, attribute: 'agreement', value: true }]] : [];
  },
  'sensitive-data-to-third-party': (_env, f, view) => {
    const flow = flowOf(f, view);
    return flow ? [[{ op: 'set', element: flow.to.id, attribute: 'agreement', value: true }]] : [];
  },
  'single-factor-access-to-crown-jewels': (_env, f, view) => {
    const flow = flowOf(f, view);
    if (!flow) return [];
    const e = addControl(flow.to, 'mfa');
    return e.length > 0 ? [e] : [];
  },
  'single-point-of-failure': setOnPrimary('replicas', 2),
  'ssrf-to-internal-resources': onComponent('sandbox', 'controls'),
  'static-credential-to-sensitive-store': (_env, f, view) =>
    flowOf(f, view)
      ? [[{ op: 'set', element: f.primary[0] as string, attribute: 'authn', value: 'iam' }]]
      : [],
  'unapproved-production-deployment': onComponent('human-approval', 'controls'),
  'unaudited-authentication-events': onComponent('audit-logging', 'controls'),
  'unaudited-privileged-access': onComponent('audit-logging', 'controls'),
  'unauthenticated-message-channel': (_env, f, view) =>
    flowOf(f, view)
      ? [[{ op: 'set', element: f.primary[0] as string, attribute: 'authn', value: 'mtls' }]]
      : [],
  'unencoded-output-to-web-client': onComponent('output-encoding', 'controls'),
  'unencrypted-data-at-rest': setOnPrimary('encrypted-at-rest', true),
  'unencrypted-flow': setOnPrimary('encrypted', true),
  'unencrypted-replication': setOnPrimary('encrypted', true),
  'unrestricted-admin-access-from-internet': (_env, f, view) => {
    const flow = flowOf(f, view);
    if (!flow) return [];
    const e = addControl(flow.to, 'ip-allowlist', 'enforces');
    return e.length > 0 ? [e] : [];
  },
  'unsigned-artifact-deployment': onComponent('signing', 'controls'),
  'unverified-message-integrity': onComponent('signing', 'controls'),
  'unverified-third-party-callback': (_env, f, view) =>
    flowOf(f, view)
      ? [[{ op: 'set', element: f.primary[0] as string, attribute: 'authn', value: 'hmac' }]]
      : [],
  'weak-authentication-on-exposed-entry': (_env, f, view) => {
    const flow = flowOf(f, view);
    if (!flow) return [];
    // A person signing in needs a second factor; software needs a credential that is not a static secret.
    if (['user', 'web-client', 'mobile-app'].includes(flow.from.kind)) {
      const mfa = addControl(flow.to, 'mfa');
      return mfa.length > 0 ? [mfa] : [];
    }
    return [[{ op: 'set', element: flow.id, attribute: 'authn', value: 'mtls' }]];
  },
};

/** The candidate changes for a finding (alternatives), possibly none. */
export function candidateFixes(env: Env, f: Finding): Edit[][] {
  const maker = MAKERS[f.ruleId];
  if (!maker) return [];
  return maker(env, f, env.view).filter((edits) => edits.length > 0);
}

/** A change as an instruction: "add input-validation to the controls of orders". */
export function instruction(e: Edit): string {
  switch (e.op) {
    case 'add':
      return `add ${e.value} to the ${e.attribute} of ${e.element}`;
    case 'remove':
      return `remove ${e.value} from the ${e.attribute} of ${e.element}`;
    case 'set':
      return `set ${e.attribute} of ${e.element} to ${Array.isArray(e.value) ? `[${e.value.join(', ')}]` : String(e.value)}`;
    case 'clear':
      return `leave ${e.attribute} of ${e.element} unstated`;
    case 'narrow-grant':
      return `narrow the grant of ${e.identity} on ${e.resource} to [${e.actions.join(', ')}]${e.scope ? ` (scope [${e.scope.join(', ')}])` : ''}`;
    case 'remove-grant':
      return `remove the grant of ${e.identity} on ${e.resource === '*' ? '"*" (every resource)' : e.resource}`;
    case 'add-flow':
      return `add a flow from ${e.flow.from} to ${e.flow.to}`;
    case 'remove-flow':
      return `remove the flow ${e.flow}`;
    case 'add-component':
      return `add component ${e.component.id}`;
    case 'remove-component':
      return `remove ${e.component}`;
    default:
      return '';
  }
}
