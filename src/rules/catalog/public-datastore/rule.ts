import { type FlowFacts, nameOf } from '../../../model/view.js';
import { defineRule, type Likelihood } from '../../define-rule.js';
import { dataImpact, dataList, maxImpact, maxLikelihood } from '../../factors.js';

const STORE_KINDS = new Set(['datastore', 'object-store', 'cache']);

/** How easy the direct internet flow makes it to use the store: a missing or unknown check is the worst. */
function flowLikelihood(f: FlowFacts): Likelihood {
  if (f.authnStrength === 'none' || f.authnStrength === 'unknown') return 'very-likely';
  return f.authnStrength === 'weak' ? 'likely' : 'possible';
}

const authnText = (f: FlowFacts) =>
  f.authnStrength === 'unknown' ? 'authentication not stated' : `authn ${f.authn}`;

export default defineRule({
  meta: {
    id: 'public-datastore',
    title: 'Data store is reachable directly from the internet',
    summary:
      'A database, object store or cache that holds non-public data is exposed to the internet, so its data plane is one scan, leaked credential or misconfigured policy away from anyone.',
    stride: ['information-disclosure', 'tampering'],
    cwe: ['CWE-668', 'CWE-284'],
    capec: ['CAPEC-1'],
    attack: ['T1530', 'T1213.006', 'T1190'],
    compliance: {
      'nist-800-53': ['AC-3', 'AC-4', 'AC-22', 'SC-7'],
      'iso-27001-2022': ['A.5.15', 'A.8.3', 'A.8.20'],
      soc2: ['CC6.1', 'CC6.6'],
      'pci-dss-4': ['1.4.4'],
      'owasp-asvs-5': ['V8.2.2', 'V14.2.4'],
      hipaa: ['164.312(a)(1)'],
    },
    assumes: ['stores'],
    supersedes: ['missing-authentication', 'internet-to-crown-jewels-path'],
    detection:
      'A component of kind datastore, object-store or cache is reported when it is exposed (stated exposure: public, or a flow from an internet source calls it directly) and holds data classified other than public. Confirmed when its stores list names such data; assumed, with a question, when the model does not say what it stores. A store that holds only public data (a static-site bucket) is not reported. Search clusters are judged by exposed-search-engine.',
    severityRationale:
      'Impact is the classification of the data held (very high for pci, phi, credentials and secrets; high for pii and financial data; at least medium when the contents are unknown, because a store exists to hold data). Likelihood comes from the direct internet flows: very likely when one has no or unstated authentication, or when the store is stated public with no internet flow modelled; likely when the best it asks for is a weak credential (API key, password); possible when every direct flow is strongly authenticated, since the data plane is still one stolen credential away.',
    falsePositives:
      'The store may be public only in the model: if it sits in a private subnet, behind a private endpoint, or is reached only through a service, state exposure: internal and model the flows from the services that call it instead of from the internet. If it holds only public assets, list them with classification public in its stores.',
    references: [
      {
        title: 'OWASP Database Security Cheat Sheet',
        url: 'https://cheatsheetseries.owasp.org/cheatsheets/Database_Security_Cheat_Sheet.html',
      },
      {
        title: 'Amazon S3: Blocking public access to your storage',
        url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html',
      },
      {
        title: 'CWE-668: Exposure of Resource to Wrong Sphere',
        url: 'https://cwe.mitre.org/data/definitions/668.html',
      },
    ],
    messages: {
      exposed: '{store} holds {data} and is reachable directly from the internet ({access}).',
      contentsUnstated:
        '{store} is reachable directly from the internet ({access}), and the model does not say what data it holds.',
    },
    mitigation:
      'Take {store} off the internet: remove its public endpoint, public IP or public access policy, place it in a private subnet or behind a private endpoint reachable only from {callers}, and require IAM or mTLS authentication on every connection to it.',
  },
  *detect(view) {
    for (const c of view.components) {
      if (!STORE_KINDS.has(c.kind) || !view.isExposed(c.id)) continue;
      const held = view.stored(c.id).filter((d) => d.classification !== 'public');
      if (c.stores !== undefined && held.length === 0) continue;
      const internetFlows = view.flowsTo(c.id).filter((f) => f.fromInternet);
      const likelihood =
        internetFlows.length === 0 ? 'very-likely' : maxLikelihood(...internetFlows.map(flowLikelihood));
      const access =
        internetFlows.length === 0
          ? 'stated exposure: public'
          : internetFlows.map((f) => `called by ${nameOf(f.from)} with ${authnText(f)}`).join('; ');
      const callers = [
        ...new Set(
          view
            .flowsTo(c.id)
            .filter((f) => !f.fromInternet)
            .map((f) => nameOf(f.from)),
        ),
      ];
      const inbound = internetFlows.flatMap((f) => [f.id, f.from.id]);
      const evidence = [
        ...(c.exposure === 'public' ? [`${c.id}: exposure public`] : []),
        ...internetFlows.map((f) => `flow ${f.id} from internet source ${f.from.id}: ${authnText(f)}`),
      ];
      const data = {
        store: nameOf(c),
        access,
        callers: callers.length > 0 ? callers.join(', ') : 'the services that need it',
      };
      if (c.stores === undefined) {
        const carried = internetFlows.flatMap((f) => f.data);
        yield {
          messageId: 'contentsUnstated',
          primary: [c.id],
          subjects: inbound,
          likelihood,
          impact: maxImpact('medium', dataImpact(carried)),
          confidence: 'assumed',
          data,
          evidence: [...evidence, `${c.id}: stores not stated`],
          unknowns: [{ subject: c.id, attribute: 'stores' }],
        };
        continue;
      }
      yield {
        messageId: 'exposed',
        primary: [c.id],
        subjects: [...inbound, ...held.map((d) => d.id)],
        likelihood,
        impact: dataImpact(held),
        confidence: 'confirmed',
        data: { ...data, data: dataList(held) },
        evidence: [...evidence, `${c.id} stores ${dataList(held)}`],
      };
    }
  },
});
