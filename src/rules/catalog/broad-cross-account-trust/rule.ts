import { isBroadGrant, isThirdParty } from '../../../model/queries.js';
import type { Boundary, Component, Grant, Identity } from '../../../model/schema.js';
import { nameOf, type View } from '../../../model/view.js';
import { type Draft, defineRule, type Impact, type Likelihood } from '../../define-rule.js';
import { dataImpact, maxImpact } from '../../factors.js';

/** Grants that change things: write, delete, admin or "*". */
const powerful = (g: Grant) =>
  g.actions.some((a) => a === 'write' || a === 'delete' || a === 'admin' || a === '*');

const grantText = (view: View, g: Grant) =>
  `[${g.actions.join(', ')}] on ${g.resource === '*' ? 'every resource' : view.label(g.resource)}`;

/** The cloud accounts of an identity: those of its runners, else those of the components it is granted. */
function homeAccounts(view: View, i: Identity): Set<string> {
  const runners = view.runningAs(i.id);
  const fromRunners = runners.flatMap((c) => view.nearest(c.id, 'cloud-account')?.id ?? []);
  if (fromRunners.length > 0) return new Set(fromRunners);
  const granted = (i.grants ?? []).filter((g) => g.resource !== '*' && view.component(g.resource));
  return new Set(granted.flatMap((g) => view.nearest(g.resource, 'cloud-account')?.id ?? []));
}

interface Principal {
  id: string;
  thirdParty: boolean;
  accounts: Set<string>;
}

/** Where a principal named in assumable-by lives: a third party, and/or some cloud accounts. */
function locate(view: View, id: string): Principal {
  const kind = view.kindOf(id);
  if (kind === 'component') {
    const c = view.component(id);
    const account = view.nearest(id, 'cloud-account')?.id;
    return { id, thirdParty: c ? isThirdParty(view, c) : false, accounts: new Set(account ? [account] : []) };
  }
  if (kind === 'identity') {
    const identity = view.identity(id) as Identity;
    const thirdParty = view.runningAs(id).some((c) => isThirdParty(view, c));
    return { id, thirdParty, accounts: homeAccounts(view, identity) };
  }
  if (kind === 'boundary') {
    const chain: readonly Boundary[] = view.ancestry(id);
    const account = chain.find((b) => b.kind === 'cloud-account')?.id;
    return {
      id,
      thirdParty: chain.some((b) => b.kind === 'third-party'),
      accounts: new Set(account ? [account] : []),
    };
  }
  return { id, thirdParty: false, accounts: new Set() };
}

const MESSAGE_ORDER = ['anyone', 'thirdParty', 'otherAccount', 'crossAccountGrant'] as const;

/** The cloud account a component (or a granted resource) is in, if any. */
const accountOf = (view: View, id: string) => view.nearest(id, 'cloud-account')?.id;

/**
 * Whether some grant of the list is powerful: a plain loop (no filtered list) for the thousands of
 * identities asked.
 */
function anyPowerful(grants: readonly Grant[]): boolean {
  for (let i = 0; i < grants.length; i++) if (powerful(grants[i] as Grant)) return true;
  return false;
}

/**
 * Whether a powerful grant of the identity names a resource in a cloud account other than one of its
 * runners' accounts: the crossAccountGrant test of `finding`, without its lists, so that the thousands
 * of identities that no one else may assume are passed over cheaply.
 */
function mayGrantAcross(view: View, identity: Identity, grants: readonly Grant[]): boolean {
  let first: string | undefined;
  let several = false;
  const runners = view.runningAs(identity.id);
  for (let i = 0; i < runners.length; i++) {
    // accountOf, read through the runner's `in` (no lookup of the component by id).
    const at = (runners[i] as Component).in;
    const a = at === undefined ? undefined : view.nearestFrom(at, 'cloud-account')?.id;
    if (a === undefined) continue;
    if (first === undefined) first = a;
    else if (a !== first) {
      several = true;
      break;
    }
  }
  if (first === undefined) return false;
  for (let i = 0; i < grants.length; i++) {
    const g = grants[i] as Grant;
    if (g.resource === '*' || !powerful(g)) continue;
    const target = accountOf(view, g.resource);
    if (target !== undefined && (several || target !== first)) return true;
  }
  return false;
}

/** The finding for an identity with powerful grants (`strong`), or undefined when nothing is reported. */
function finding(view: View, identity: Identity, strong: Grant[]): Draft | undefined {
  const home = homeAccounts(view, identity);
  const runners = view.runningAs(identity.id);
  const reasons = new Set<(typeof MESSAGE_ORDER)[number]>();
  const evidence: string[] = [];
  const subjects: string[] = [];
  const principals: string[] = [];
  const crossGrants: Grant[] = [];
  const otherAccounts = new Set<string>();

  for (const p of identity['assumable-by'] ?? []) {
    if (p === '*') {
      reasons.add('anyone');
      evidence.push(`${identity.id} assumable-by: "*"`);
      continue;
    }
    const where = locate(view, p);
    if (where.thirdParty) {
      reasons.add('thirdParty');
      principals.push(p);
      subjects.push(p);
      evidence.push(`${identity.id} assumable-by ${p}, a third party`);
    } else if (home.size > 0 && where.accounts.size > 0 && ![...where.accounts].some((a) => home.has(a))) {
      reasons.add('otherAccount');
      principals.push(p);
      subjects.push(p, ...where.accounts);
      evidence.push(
        `${identity.id} assumable-by ${p}, in cloud account ${[...where.accounts].join(', ')} (home: ${[...home].join(', ')})`,
      );
    }
  }

  const runnerAccounts = new Map<string, string>();
  for (const r of runners) {
    const a = view.nearest(r.id, 'cloud-account')?.id;
    if (a) runnerAccounts.set(r.id, a);
  }
  // The runners' distinct accounts, once (not once per grant).
  const accounts = [...new Set(runnerAccounts.values())];
  for (const g of strong) {
    if (g.resource === '*' || runnerAccounts.size === 0) continue;
    const target = view.nearest(g.resource, 'cloud-account')?.id;
    if (!target || !accounts.some((a) => a !== target)) continue;
    reasons.add('crossAccountGrant');
    crossGrants.push(g);
    otherAccounts.add(target);
    subjects.push(g.resource, target);
    evidence.push(
      `grant on ${g.resource} (cloud account ${target}): actions [${g.actions.join(', ')}]; runners in ${accounts.join(', ')}`,
    );
  }
  if (reasons.size === 0) return undefined;
  const crossSet = new Set(crossGrants);

  const messageId = MESSAGE_ORDER.find((m) => reasons.has(m)) as (typeof MESSAGE_ORDER)[number];
  const judged = messageId === 'crossAccountGrant' ? crossGrants : strong;
  const impact = judged.reduce<Impact>(
    (m, g) =>
      maxImpact(
        m,
        isBroadGrant(g) || g.resource === '*'
          ? 'very-high'
          : maxImpact('high', dataImpact(view.stored(g.resource))),
      ),
    'high',
  );
  const narrow = {
    anyone: 'replace "*" in its assumable-by with the exact principals that need it',
    thirdParty: `let ${principals.map((p) => view.label(p)).join(', ')} assume it only with an external id or an OIDC subject condition that names their tenant`,
    otherAccount: `remove ${principals.map((p) => view.label(p)).join(', ')} from its assumable-by, or give them a separate, narrower role`,
    crossAccountGrant: `replace its grants in ${[...otherAccounts].map((a) => view.label(a)).join(', ')} with a dedicated role inside that account that holds only the actions needed and may be assumed only by ${runners.map((r) => nameOf(r)).join(', ')}`,
  }[messageId];
  const likelihood: Likelihood = reasons.has('anyone') || reasons.has('thirdParty') ? 'likely' : 'possible';
  return {
    messageId,
    primary: [identity.id],
    subjects: [...runners.map((r) => r.id), ...subjects],
    likelihood,
    impact,
    confidence: 'confirmed',
    data: {
      identity: nameOf(identity),
      power: judged.map((g) => grantText(view, g)).join('; '),
      principals: principals.map((p) => view.label(p)).join(', '),
      home: [...home].map((a) => view.label(a)).join(', ') || 'its own account',
      runners: runners.map((r) => nameOf(r)).join(', '),
      otherAccounts: [...otherAccounts].map((a) => view.label(a)).join(', '),
      narrow,
    },
    evidence: [
      ...evidence,
      ...strong
        .filter((g) => !crossSet.has(g))
        .map((g) => `grant on ${g.resource}: actions [${g.actions.join(', ')}]`),
    ],
  };
}

export default defineRule({
  meta: {
    id: 'broad-cross-account-trust',
    title: 'Identity lets another account or a third party act with write or admin power',
    summary:
      'An identity that can change things (write, delete, admin) may be assumed from anywhere, by a third party or from another cloud account, or reaches into another account, so a compromise outside this account becomes write access inside it.',
    stride: ['elevation-of-privilege', 'spoofing'],
    cwe: ['CWE-284', 'CWE-441'],
    capec: ['CAPEC-122'],
    attack: ['T1199', 'T1078.004'],
    compliance: {
      'nist-800-53': ['AC-6', 'AC-20', 'AC-20(1)', 'CA-3'],
      'iso-27001-2022': ['A.5.19', 'A.5.23', 'A.8.2'],
      soc2: ['CC6.1', 'CC9.2'],
      'pci-dss-4': ['7.2.1'],
      'owasp-asvs-5': ['V13.2.2'],
      hipaa: ['164.308(a)(4)(ii)(B)'],
    },
    assumes: [],
    detection:
      'The rule reads the trust of each identity whose grants include write, delete, admin or "*". With the assumable-by extension it reports "*" (anyone), a principal inside a third-party boundary (or an external service), and a principal whose cloud account differs from the identity’s home account (the accounts of the components that run as it, else of the components it is granted). Without relying on the extension, it also reports an identity run by a component in one cloud account whose write, delete, admin or "*" grant names a component in another. Principals and components without a cloud account are not judged. All reasons for one identity make one finding.',
    severityRationale:
      'Impact follows the grants: very high for admin, "*" or every resource, otherwise the data the granted components hold, at least high (write access). Likelihood is likely when anyone or a third party may assume the identity (their security is outside your control), possible for another account of your own.',
    falsePositives:
      'The trust may be narrower than the model shows (conditions on an external id, an OIDC subject or an organisation id), or the other account may be part of the same security boundary. List the exact principals in assumable-by, reduce the grants to read where that is all the other party needs, or place both components in the same cloud-account boundary if they really share one.',
    references: [
      {
        title: 'AWS IAM: Cross-account resource access',
        url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies-cross-account-resource-access.html',
      },
      {
        title: 'AWS IAM: The confused deputy problem',
        url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html',
      },
      {
        title: 'CWE-441: Unintended Proxy or Intermediary (Confused Deputy)',
        url: 'https://cwe.mitre.org/data/definitions/441.html',
      },
    ],
    messages: {
      anyone: 'Anyone may assume {identity} (assumable-by "*"), and it holds {power}.',
      thirdParty:
        '{identity} may be assumed by {principals}, outside your organisation, and it holds {power}.',
      otherAccount:
        '{identity} belongs to {home} but may be assumed from {principals}, and it holds {power}.',
      crossAccountGrant:
        '{identity}, used by {runners} in {home}, holds {power} in {otherAccounts}, so that account trusts whatever runs as it.',
    },
    mitigation:
      'Narrow the trust of {identity}: {narrow}; then cut its grants to what the trusted party must do, read-only where possible.',
  },
  *detect(view) {
    // Indexed: a for-of loop allocates a result object per element until the code is optimised.
    const identities = view.identities;
    for (let i = 0; i < identities.length; i++) {
      const identity = identities[i] as Identity;
      const grants = identity.grants;
      if (grants === undefined || !anyPowerful(grants)) continue;
      // Without assumable-by, only a grant into another account can be reported.
      const assumable = identity['assumable-by'];
      if ((assumable === undefined || assumable.length === 0) && !mayGrantAcross(view, identity, grants))
        continue;
      const draft = finding(view, identity, grants.filter(powerful));
      if (draft) yield draft;
    }
  },
});
