import { appliesControl, behindCached, isClient, isThirdParty } from '../../../model/queries.js';
import type { Component } from '../../../model/schema.js';
import { type FlowFacts, nameOf, type View } from '../../../model/view.js';
import { type Draft, defineRule, type Impact, type Likelihood } from '../../define-rule.js';
import { dataImpact, dataList, flowLabel, maxImpact } from '../../factors.js';
import { BUILD_KINDS } from '../../shared/delivery.js';

const CHANGING = new Set(['write', 'delete', 'admin']);

/** The finding for a flow with weak authentication, or undefined. */
function judge(
  view: View,
  f: FlowFacts,
  behindOf: (c: Component) => readonly Component[],
): Draft | undefined {
  // The flow's own fact: its `from` end is an internet source (view.isInternetSource).
  const fromInternet = f.fromInternet;
  if (!fromInternet && f.to.exposure !== 'public') return undefined;
  if (!fromInternet && isThirdParty(view, f.from)) return undefined;
  // Build infrastructure is exposed-build-infrastructure's.
  if (BUILD_KINDS.has(f.to.kind) || isThirdParty(view, f.to) || isClient(f.to)) return undefined;
  const chain = behindOf(f.to);
  // People type passwords (MFA is the answer); software holds static secrets (replace them).
  const person = isClient(f.from);
  const isPassword = person && (f.authn === 'password' || f.authn === 'basic');
  const mfaAt = chain.find((c) => appliesControl(c, 'mfa') === true);
  if (person && f.authn === 'password' && mfaAt) return undefined;
  const throttledAt = chain.find((c) => appliesControl(c, 'rate-limiting') === true);
  // A caller inside the system uses a random secret that is not stuffed from breach lists.
  const likelihood: Likelihood = throttledAt || !fromInternet ? 'likely' : 'very-likely';
  const changes = f.flow.actions?.some((a) => CHANGING.has(a)) === true;
  const stored = view.stored(f.to.id);
  const impact: Impact = maxImpact(changes ? 'high' : 'low', dataImpact(f.data), dataImpact(stored));
  const to = nameOf(f.to);
  const evidence = [
    `flow ${f.id}: authn ${f.authn}`,
    fromInternet ? `${f.from.id} is on the internet` : `${f.to.id} exposure: public`,
    ...(isPassword
      ? [
          mfaAt
            ? `mfa only at ${mfaAt.id}, which does not cover basic`
            : `no mfa on ${chain.map((c) => c.id).join(', ')}`,
        ]
      : []),
    throttledAt
      ? `${throttledAt.id} applies rate-limiting`
      : `no rate-limiting on ${chain.map((c) => c.id).join(', ')}`,
    ...(f.data.length > 0 ? [`flow ${f.id} carries ${dataList(f.data)}`] : []),
    ...(stored.length > 0 ? [`${f.to.id} stores ${dataList(stored)}`] : []),
  ];
  return {
    messageId: isPassword ? 'password' : 'staticSecret',
    primary: [f.id],
    subjects: [f.from.id, ...chain.map((c) => c.id), ...f.data.map((d) => d.id)],
    likelihood,
    impact,
    confidence: 'confirmed' as const,
    data: {
      to,
      from: nameOf(f.from),
      authn: f.authn === 'api-key' ? 'API key' : f.authn,
      origin: fromInternet ? 'from the internet' : 'at an endpoint stated public',
      flow: flowLabel(f),
      data: f.data.length > 0 ? dataList(f.data) : 'no data stated',
      throttle: throttledAt ? '' : ' and nothing rate-limits attempts',
      fix: isPassword
        ? `require a second factor at ${to} (or federate sign-in to an identity provider that enforces MFA), limit failed attempts per account and per source, and check new passwords against breached-password lists`
        : `replace the static ${f.authn === 'api-key' ? 'key' : 'secret'} with OAuth 2 client credentials, mTLS or cloud IAM and short-lived tokens; until then, issue one secret per caller scoped to its actions, keep it in a secret store, rotate it, and rate-limit ${to} per credential${fromInternet ? '' : `; if ${to} need not be public, make it internal`}`,
    },
    evidence,
  };
}

export default defineRule({
  meta: {
    id: 'weak-authentication-on-exposed-entry',
    title: 'Internet-facing entry accepts only a guessable or replayable credential',
    summary:
      'An entry point that the internet calls accepts a password, HTTP basic credentials or a static API key as the only proof of identity, which attackers can guess, stuff from other breaches, spray, or extract from a client or a leaked configuration.',
    stride: ['spoofing', 'information-disclosure'],
    cwe: ['CWE-1390', 'CWE-308'],
    capec: ['CAPEC-49', 'CAPEC-600', 'CAPEC-16'],
    attack: ['T1110', 'T1110.003', 'T1110.004'],
    compliance: {
      'nist-800-53': ['IA-2(1)', 'IA-2(2)', 'IA-5', 'IA-5(1)', 'AC-7'],
      'iso-27001-2022': ['A.8.5', 'A.5.17'],
      soc2: ['CC6.1'],
      'pci-dss-4': ['8.3.1', '8.3.4', '8.4.2'],
      'owasp-asvs-5': ['V6.3.1', 'V6.3.3', 'V7.2.2'],
      hipaa: ['164.312(d)'],
    },
    assumes: [],
    detection:
      'A flow from an internet source, or into a component stated exposure: public, whose authentication is api-key, basic or password is reported, one finding per flow. When the caller is a person (a user, web client or mobile app) with a password, the finding asks for a second factor, and it is not reported when the receiving component, or the gateways and the origin it passes the traffic on to, has mfa in its controls or enforces; a static secret held by software is reported as such. Flows into a third party (its sign-in is not ours to change), flows from a third party outside the internet boundary (unverified-third-party-callback judges those) and flows into a repository, registry or CI/CD system (exposed-build-infrastructure judges those) are left out.',
    severityRationale:
      'Impact is the data the flow carries and the receiver stores, at least high when the flow writes, deletes or administers. Likelihood is likely, because the credential is exposed to the whole internet; very likely when the caller is on the internet and neither the receiver nor the components behind it rate-limit, so guessing and stuffing run unthrottled. A caller inside the system that reaches a public endpoint stays likely: its secret is random and not in breach lists, but anyone who obtains it can use it from anywhere.',
    falsePositives:
      'A second factor or a throttle may exist outside the model (MFA at the application, a bot-protection service). Record it: add mfa or rate-limiting to the controls of the receiving component or the enforces of its gateway. If the flow in fact uses tokens, state the real authn (oauth2, oidc, jwt, mtls).',
    references: [
      {
        title: 'OWASP Credential Stuffing Prevention Cheat Sheet',
        url: 'https://cheatsheetseries.owasp.org/cheatsheets/Credential_Stuffing_Prevention_Cheat_Sheet.html',
      },
      {
        title: 'OWASP Multifactor Authentication Cheat Sheet',
        url: 'https://cheatsheetseries.owasp.org/cheatsheets/Multifactor_Authentication_Cheat_Sheet.html',
      },
      {
        title: 'NIST SP 800-63B Digital Identity Guidelines',
        url: 'https://pages.nist.gov/800-63-3/sp800-63b.html',
      },
    ],
    messages: {
      password:
        '{to} lets {from} sign in {origin} with {authn} credentials alone, with no second factor{throttle} ({flow}, carrying {data}).',
      staticSecret:
        '{to} accepts a static {authn} from {from} {origin} as the only credential{throttle} ({flow}, carrying {data}); whoever obtains or guesses it acts as that caller.',
    },
    mitigation: 'Strengthen authentication on {flow}: {fix}.',
  },
  *detect(view) {
    const behindOf = behindCached(view);
    for (const f of view.flows) {
      if (f.authnStrength !== 'weak') continue;
      const draft = judge(view, f, behindOf);
      if (draft) yield draft;
    }
  },
});
