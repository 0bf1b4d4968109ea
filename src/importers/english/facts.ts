/**
 * Security facts stated in a sentence, as data: a pattern and what it sets. Facts about a connection
 * (encryption, authentication, protocol, network, data, scope) go to the flows of the relation in the
 * same clause; facts about a component (exposure, encryption at rest, controls, trust, secrets,
 * privileges, replicas) go to the clause's subject; permissions go to an identity.
 */
import type {
  AuthnMethod,
  Control,
  GrantAction,
  SecretLocation,
  TrustAssumption,
} from '../../model/vocabulary.js';
import type { Context } from './context.js';
import type { DraftComponent, DraftData, DraftFlow, DraftIdentity } from './draft.js';
import { isIdLike, nameKey, slug } from './names.js';
import type { Relation } from './relations.js';

/** What a fact rule may ask about the sentence. */
export interface FactSite {
  ctx: Context;
  /** The sentence in lower case. */
  lower: string;
  /** The flows the fact at this offset is about (the relation in its clause, or "the connection"). */
  flowsAt(offset: number): DraftFlow[];
  /** The relation nearest the offset in its clause. */
  relationAt(offset: number): Relation | undefined;
  /** The last relation with flows before the offset, in any clause ("..., because both run in ..."). */
  relationBefore(offset: number): Relation | undefined;
  /** The component the clause at this offset is about. */
  subjectAt(offset: number): DraftComponent[];
  /** The component whose secrets or identity the sentence names ("its", "X's", "of X"). */
  ownerAt(offset: number): DraftComponent[];
  /** Components mentioned right after an offset. */
  componentsAfter(offset: number, within?: number): DraftComponent[];
  /** Data mentioned in the clause of the offset. */
  dataAt(offset: number): DraftData[];
  /** The identity named in the sentence, if any. */
  identityNamed(): DraftIdentity | undefined;
  used(): void;
}

export interface FactRule {
  name: string;
  pattern: RegExp;
  apply: (site: FactSite, m: RegExpExecArray) => boolean;
}

const NEGATION =
  /\b(?:no|not|without|never|nor|neither|lacks?|lacking|missing|disabled|off|n't|isn't|doesn't|don't|aren't|hasn't|haven't|nothing)\b[^.;,]{0,40}$/;

/** Whether the words just before a match negate it ("has no rate limiting", "does not validate"). */
export function negated(lower: string, index: number): boolean {
  const before = lower.slice(Math.max(0, index - 48), index);
  const clause = before.split(/[;,]| but | because | although | while /).pop() ?? before;
  return NEGATION.test(clause) || /\bno$|\bnot$/.test(clause.trim());
}

function setControl(c: DraftComponent, control: Control, present: boolean, only = false): void {
  const list = c.controls;
  if (present) {
    list.present.add(control);
    list.absent.delete(control);
  } else if (!list.present.has(control)) list.absent.add(control);
  if (only) list.complete = true;
}

function assume(site: FactSite, comps: DraftComponent[], assumption: TrustAssumption): boolean {
  for (const c of comps) {
    if (c.isUser) continue;
    c.assumes.add(assumption);
    if (!c.assumptionOrigins.some((a) => a.assumption === assumption)) {
      c.assumptionOrigins.push({ assumption, origin: site.ctx.origin });
    }
  }
  return comps.length > 0;
}

const flowFact = (apply: (f: DraftFlow) => void) => (site: FactSite, m: RegExpExecArray) => {
  const flows = site.flowsAt(m.index);
  for (const f of flows) apply(f);
  return flows.length > 0;
};

function controlRule(name: string, control: Control, pattern: RegExp): FactRule {
  return {
    name,
    pattern,
    apply: (site, m) => {
      const present = !negated(site.lower, m.index);
      const only = /\bonly\b/.test(site.lower.slice(Math.max(0, m.index - 30), m.index));
      const rel = site.relationAt(m.index);
      // "with no human approval" in a sentence about a call: the caller acts without it.
      let comps = site.subjectAt(m.index);
      if (comps.length === 0 && rel) comps = [...new Set(rel.flows.map((f) => f.to))];
      if (control === 'mfa' && rel && rel.flows.length > 0) comps = [...new Set(rel.flows.map((f) => f.to))];
      for (const c of comps) if (!c.isUser || control === 'mfa') setControl(c, control, present, only);
      return comps.length > 0;
    },
  };
}

const AUTHN: [RegExp, AuthnMethod][] = [
  [/\bm-?tls\b|mutual tls|mutual authentication|client certificates?/, 'mtls'],
  [/\bhmac\b|signed webhooks?|webhook signatures?|signs? (?:each|every|the) request/, 'hmac'],
  [/\boidc\b|openid connect/, 'oidc'],
  [/\bsaml\b/, 'saml'],
  [/\boauth ?2?(?:\.0)?\b|client credentials grant/, 'oauth2'],
  [/\bjwts?\b|bearer tokens?|\bid tokens?\b|access tokens?|firebase id token/, 'jwt'],
  [
    /\biam\b(?! user)|sigv4|managed identit(?:y|ies)|workload identity|service account tokens?|\birsa\b|instance profiles?/,
    'iam',
  ],
  [/\bkerberos\b/, 'kerberos'],
  [/basic auth(?:entication)?|http basic/, 'basic'],
  [/\bapi[- ]?keys?\b|subscription keys?|\bsecret key\b|x-api-key/, 'api-key'],
  [/session cookies?/, 'session'],
  [/username and password|\bpasswords?\b|sql (?:login|password)|guest account/, 'password'],
];

const PROTOCOLS: [RegExp, string][] = [
  [/\bhttps\b/, 'https'],
  [/\bgrpcs\b/, 'grpcs'],
  [/\bgrpc\b/, 'grpc'],
  [/\bwss\b/, 'wss'],
  [/\bwebsockets?\b/, 'ws'],
  [/\bamqps\b/, 'amqps'],
  [/\bamqp\b/, 'amqp'],
  [/\bmqtts\b/, 'mqtts'],
  [/\bmqtt\b/, 'mqtt'],
  [/\bldaps\b/, 'ldaps'],
  [/\bldap\b/, 'ldap'],
  [/\bsftp\b/, 'sftp'],
  [/\bftps\b/, 'ftps'],
  [/\bftp\b/, 'ftp'],
  [/\bssh\b/, 'ssh'],
  [/\bsmtps\b/, 'smtps'],
  [/\bsmtp\b/, 'smtp'],
  [/\btds\b/, 'tds'],
  [/\bjdbc\b/, 'jdbc'],
  [/\bplaintext listener\b|\bplaintext\b(?= listener)/, 'kafka-plaintext'],
  [/\bhttp\b(?!s)/, 'http'],
];

const SECRET_PLACES: [RegExp, SecretLocation][] = [
  [/environment variables?|env vars?|\benv\b|\.env\b/, 'env'],
  [
    /config(?:uration)? files?|properties files?|settings\.py|appsettings(?:\.json)?|application\.(?:ya?ml|properties)|web\.config|\.ini\b|ya?ml files?|json files?|app settings?|configmaps?/,
    'config-file',
  ],
  [
    /hard-?coded|in (?:the|its|their) (?:source )?code|source code|committed to (?:the )?(?:repo|repository|git)|checked into (?:git|the repo)/,
    'source-code',
  ],
  [/baked into|(?:container|docker) images?/, 'container-image'],
  [
    /ci variables?|github secrets|gitlab (?:ci )?variables|pipeline variables|ci secrets|repository secrets/,
    'ci-variables',
  ],
  [/secrets manager|key vault|\bvault\b|secret manager|parameter store/, 'secret-store'],
];

const PERMISSIONS: [RegExp, GrantAction[]][] = [
  [
    /administratoraccess|\*:\*|\ball permissions\b|\b[a-z0-9]+:\*|wildcard permissions|\bowner role on the whole\b/,
    ['*'],
  ],
  [
    /full admin(?:istrator)? (?:rights|access|permissions|privileges)|admin(?:istrator)? (?:rights|access|permissions|privileges)|\badmin\b|\bowner\b|db_owner|superuser|full (?:access|control)|all privileges|cluster-admin/,
    ['admin'],
  ],
  [/read[- ]write|read and write|write access|\bcontributor\b|\beditor\b/, ['read', 'write']],
  [/read[- ]only|read access|\breader\b|\bviewer\b/, ['read']],
];

export const FACT_RULES: FactRule[] = [
  // ---- trust (before validation and authentication, which they mention) ----------------------------
  {
    name: 'assumes input validated',
    pattern:
      /\b(?:trusts?|rel(?:y|ies|ying) on|assumes?|counts? on|depends? on|expects?)\b(?: that)?(?: the)?(?: [\w-]+){0,4}? (?:to (?:validate|sanitise|sanitize)|(?:for|with|to do) (?:input |request )?validation|validates|(?:is|are|was|were|has been|have been) (?:already )?validated|already validated)/,
    apply: (site, m) => assume(site, site.subjectAt(m.index), 'input-validated-upstream'),
  },
  {
    name: 'assumes caller authenticated',
    pattern:
      /\b(?:trusts?|rel(?:y|ies|ying) on|assumes?|counts? on)\b(?: that)?(?: the)?(?: [\w-]+){0,4}? (?:to authenticate|for authentication|authenticates|(?:is|are|has been|have been) (?:already )?authenticated|already authenticated)/,
    apply: (site, m) => assume(site, site.subjectAt(m.index), 'caller-authenticated-upstream'),
  },
  {
    name: 'assumes caller authorized',
    pattern:
      /\b(?:trusts?|rel(?:y|ies|ying) on|assumes?|counts? on)\b(?: that)?(?: the)?(?: [\w-]+){0,4}? (?:to authori[sz]e|for authori[sz]ation|authori[sz]es|(?:is|are|has been|have been) (?:already )?authori[sz]ed)/,
    apply: (site, m) => assume(site, site.subjectAt(m.index), 'caller-authorized-upstream'),
  },
  {
    name: 'assumes data encrypted',
    pattern: /\bassumes?\b(?: that)?(?: the)?(?: [\w-]+){0,3}? (?:is |are )?(?:already )?encrypted/,
    apply: (site, m) => assume(site, site.subjectAt(m.index), 'data-encrypted-upstream'),
  },
  {
    name: 'trusts the network',
    pattern:
      /\btrusts? (?:every|any|all) (?:callers?|requests?|traffic|clients?|services?|connections?)(?: (?:inside|in|within|from) (?:the )?(?:same )?(?:vpc|vnet|network|cluster|subnet|namespace|private network))?|\btrusts? (?:the|its|their) (?:internal |private )?(?:network|vpc|cluster|subnet)|because (?:both|they|it|all) (?:run|runs|are|is|live|lives|sit|sits)(?: all)? (?:in|on|inside) the same|\brel(?:y|ies|ying) on (?:it |them )?being (?:on|in) the same|because (?:it's|it is|they're|they are) internal|\bnetwork location\b/,
    apply: (site, m) => {
      const after = site.componentsAfter(m.index + m[0].indexOf('being') - 6, 12);
      if (/rel(?:y|ies|ying) on/.test(m[0]) && after.length > 0)
        return assume(site, after, 'network-trusted');
      const rel = site.relationBefore(m.index);
      if (m[0].startsWith('because') && rel && rel.flows.length > 0) {
        return assume(site, [...new Set(rel.flows.map((f) => f.to))], 'network-trusted');
      }
      return assume(site, site.subjectAt(m.index), 'network-trusted');
    },
  },
  // ---- connections ---------------------------------------------------------------------------------
  {
    name: 'mutual TLS',
    pattern: /\bm-?tls\b|mutual tls|client certificates?/,
    apply: (site, m) => {
      const flows = site.flowsAt(m.index);
      for (const f of flows) {
        f.authn ??= 'mtls';
        f.encrypted ??= true;
      }
      if (flows.length === 0) for (const c of site.subjectAt(m.index)) c.inboundAuthn ??= 'mtls';
      return true;
    },
  },
  {
    name: 'plaintext',
    pattern:
      /\bplain[- ]?(?:text|http)\b|\bplaintext\b|\bclear ?text\b|\bunencrypted\b|\bnot encrypted\b|without (?:any )?(?:\w+ or )?(?:tls|ssl|https|encryption)\b|\bno (?:tls|ssl|encryption)\b|sslmode ?= ?disable|ssl ?mode ?= ?disable|(?:tls|ssl) (?:is )?(?:disabled|turned off|off)\b/,
    apply: (site, m) => {
      const rest = site.lower.slice(m.index + m[0].length, m.index + m[0].length + 12);
      if (/^ at rest/.test(rest) || /at rest$/.test(m[0])) return false;
      const flows = site.flowsAt(m.index);
      for (const f of flows) {
        f.encrypted = false;
        if (/http/.test(m[0]) || /\bhttp\b/.test(site.lower)) f.protocol ??= 'http';
      }
      if (flows.length === 0) {
        const subj = site.subjectAt(m.index);
        if (
          subj.some((c) => ['datastore', 'object-store', 'cache', 'search'].includes(c.kind)) &&
          /unencrypted|not encrypted/.test(m[0])
        ) {
          for (const c of subj) c.encryptedAtRest = false;
          return true;
        }
        for (const c of subj) c.inboundEncrypted = false;
        return subj.length > 0;
      }
      return true;
    },
  },
  {
    name: 'encrypted in transit',
    pattern:
      /\b(?:over|via|using|with) (?:tls|ssl)\b|\btls[- ]encrypted\b|encrypted in transit|\btls 1\.[23]\b|\bover tls\b|\bencrypted connections?\b/,
    apply: (site, m) => {
      if (negated(site.lower, m.index)) return false;
      return flowFact((f) => {
        f.encrypted ??= true;
      })(site, m);
    },
  },
  {
    name: 'protocol',
    pattern:
      /\b(?:https|grpcs?|wss|websockets?|amqps?|mqtts?|ldaps?|sftp|ftps|ftp|ssh|smtps?|tds|jdbc|http)\b|plaintext listener/,
    apply: (site, m) => {
      const word = m[0];
      const proto = PROTOCOLS.find(([re]) => re.test(word))?.[1];
      if (!proto) return false;
      const flows = site.flowsAt(m.index);
      for (const f of flows) {
        if (!f.protocol || (f.protocol === 'http' && proto !== 'http')) f.protocol = proto;
      }
      return flows.length > 0;
    },
  },
  {
    name: 'no authentication',
    pattern:
      /\bwithout (?:any )?(?:authentication|auth|credentials|a password|login)\b|\bno (?:authentication|auth)\b|\bunauthenticated\b|\banonymous(?:ly)?\b|does(?: not|n't) (?:require|need|use|do|have|check) (?:any )?(?:authentication|auth|credentials|login|logins)\b|\bnot authenticated\b|\bopen to anyone\b|\bhas no auth\b/,
    apply: (site, m) => {
      const flows = site.flowsAt(m.index);
      for (const f of flows) f.authn = 'none';
      if (flows.length > 0) return true;
      const subj = site.subjectAt(m.index).filter((c) => !c.isUser);
      for (const c of subj) {
        c.inboundAuthn = 'none';
        setControl(c, 'authentication', false);
      }
      return subj.length > 0;
    },
  },
  {
    name: 'does not authenticate callers',
    pattern: /\bdoes(?: not|n't) authenticate\b|\bnever authenticates\b/,
    apply: (site, m) => {
      const receivers = site.subjectAt(m.index);
      const callers = site.componentsAfter(m.index + m[0].length, 6);
      for (const r of receivers) {
        setControl(r, 'authentication', false);
        let any = false;
        for (const c of callers) {
          const f = site.ctx.draft.findFlow(c, r);
          if (f) {
            f.authn = 'none';
            any = true;
          }
        }
        if (!any) r.inboundAuthn = 'none';
      }
      return receivers.length > 0;
    },
  },
  {
    name: 'authentication method',
    pattern:
      /\bm-?tls\b|\bhmac\b|signed webhooks?|\boidc\b|openid connect|\bsaml\b|\boauth ?2?(?:\.0)?\b|\bjwts?\b|bearer tokens?|\bid tokens?\b|access tokens?|\biam\b|sigv4|managed identit(?:y|ies)|workload identity|\birsa\b|\bkerberos\b|basic auth(?:entication)?|\bapi[- ]?keys?\b|subscription keys?|\bsecret key\b|session cookies?|username and password|\bpasswords?\b|sql (?:login|password)|guest account/,
    apply: (site, m) => {
      if (negated(site.lower, m.index)) return false;
      const method = AUTHN.find(([re]) => re.test(m[0]))?.[1];
      if (!method) return false;
      const flows = site.flowsAt(m.index);
      // A stronger method stated in the same clause wins over a password or key mentioned next to it.
      for (const f of flows) {
        const current = f.authn;
        if (current === 'none' || current === 'mtls') continue;
        const weaker = current === 'password' || (current === 'api-key' && method !== 'password');
        if (current === undefined || (weaker && method !== current)) f.authn = method;
      }
      if (flows.length > 0) return true;
      const subj = site.subjectAt(m.index);
      for (const c of subj) if (c.isUser) c.inboundAuthn ??= method;
      return false;
    },
  },
  {
    name: 'network',
    pattern:
      /over the (?:public )?internet|across the (?:public )?internet|via the (?:public )?internet|through the (?:public )?internet|\bvpn\b|privatelink|private link|private endpoints?|vpc peering|\bpeering\b|transit[- ]gateway|vpc endpoints?|direct connect|expressroute|private connection|the link is private/,
    apply: (site, m) => {
      const via = /internet/.test(m[0]) ? 'internet' : /vpn/.test(m[0]) ? 'vpn' : 'private';
      const flows = site.flowsAt(m.index);
      for (const f of flows) f.via ??= via;
      if (flows.length === 0 && via === 'vpn') {
        for (const c of site.subjectAt(m.index)) {
          if (c.isUser) continue;
          c.inboundVia = 'vpn';
          c.exposure ??= 'internal';
        }
      }
      return flows.length > 0;
    },
  },
  {
    name: 'scope',
    pattern: /\bthe ((?:[\w.`-]+)(?:,? (?:and )?[\w.`-]+){0,5}) (tables?)\b( (?:of|in|on|from)\b)?/,
    apply: (site, m) => {
      // "the orders and order_items tables (of X)": scope; "the leaderboard table" names a component.
      if (m[2] === 'table' && !m[3] && !/,| and /.test(m[1] ?? '')) return false;
      const list = (m[1] ?? '')
        .replace(/`/g, '')
        .split(/,? and |, /)
        .map((s) => s.trim())
        .filter(
          (s) =>
            s !== '' && !['two', 'three', 'four', 'all', 'both', 'its', 'some', 'many', 'the'].includes(s),
        );
      if (list.length === 0) return false;
      return flowFact((f) => {
        for (const s of list) f.scope.add(s);
      })(site, m);
    },
  },
  // ---- components -----------------------------------------------------------------------------------
  {
    name: 'part of',
    pattern: /\b(?:is|are) (?:a )?part of\b/,
    apply: (site, m) => {
      const part = site.subjectAt(m.index);
      const whole = site.componentsAfter(m.index + m[0].length, 6);
      if (part.length === 1 && whole.length === 1 && part[0] !== whole[0]) {
        site.ctx.draft.mergeComponents(whole[0] as DraftComponent, part[0] as DraftComponent);
        return true;
      }
      return false;
    },
  },
  {
    name: 'encryption at rest',
    pattern:
      /encrypted at rest|at-rest encryption|encryption at rest|\bsse(?:-kms|-s3|-c)?\b|\btde\b|encrypted with (?:kms|a customer-managed key|cmk|aws kms)|kms-encrypted|(?:is|are) (?:not |un)?encrypted\b/,
    apply: (site, m) => {
      if (/^(?:is|are) (?:not |un)?encrypted$/.test(m[0])) {
        const after = site.lower.slice(m.index + m[0].length, m.index + m[0].length + 16);
        if (/^ in transit/.test(after)) return false;
        if (site.flowsAt(m.index).length > 0 && !/not|un/.test(m[0])) return false;
      }
      const value = !(negated(site.lower, m.index) || /not |un/.test(m[0]));
      const subj = site.subjectAt(m.index).filter((c) => !c.isUser);
      for (const c of subj) c.encryptedAtRest = value;
      return subj.length > 0;
    },
  },
  {
    name: 'VPN only',
    pattern:
      /only (?:reachable|accessible|available|exposed|open) (?:over|through|via|from|on) (?:the )?(?:[\w-]+ )?vpn|vpn[- ]only|behind (?:the|a) (?:[\w-]+ )?vpn|only over (?:the )?(?:[\w-]+ )?vpn/,
    apply: (site, m) => {
      const subj = site.subjectAt(m.index).filter((c) => !c.isUser);
      for (const c of subj) {
        c.exposure = 'internal';
        c.inboundVia = 'vpn';
      }
      return subj.length > 0;
    },
  },
  {
    name: 'public',
    pattern:
      /\bpublic(?:ly)?(?: (?:accessible|readable|reachable|available|exposed|facing|endpoint|ip|url|access))?\b|internet[- ]facing|exposed to the (?:public )?internet|(?:reachable|accessible) from the (?:public )?internet|open to the (?:internet|world|public)|accessible from anywhere|world-readable/,
    apply: (site, m) => {
      const after = site.lower.slice(m.index + m[0].length, m.index + m[0].length + 12);
      if (/^ (?:internet|subnet|key|keys|data|cloud|network|dns|repo|repository|api key|holiday)/.test(after))
        return false;
      const before = site.lower.slice(Math.max(0, m.index - 12), m.index);
      if (/(?:over|across|via|through) the $/.test(before)) return false;
      const value = negated(site.lower, m.index) ? 'internal' : 'public';
      const subj = site
        .subjectAt(m.index)
        .filter((c) => !c.isUser && c.kind !== 'web-client' && c.kind !== 'mobile-app');
      for (const c of subj) if (c.exposure === undefined || value === 'public') c.exposure = value;
      return subj.length > 0;
    },
  },
  {
    name: 'private',
    pattern:
      /\binternal[- ]only\b|\bprivate only\b|\bnot (?:publicly )?(?:exposed|reachable|accessible)\b|\bno public (?:ip|endpoint|access)\b|\bonly (?:reachable|accessible) (?:from )?(?:inside|within)\b|\bstays? private\b|\b(?:is|are|kept) private\b|\bbound to (?:the )?(?:private|internal)/,
    apply: (site, m) => {
      if (
        /the (?:link|connection|peering|replication) is private/.test(
          site.lower.slice(Math.max(0, m.index - 20), m.index + m[0].length),
        )
      )
        return false;
      const subj = site.subjectAt(m.index).filter((c) => !c.isUser);
      for (const c of subj) c.exposure = 'internal';
      return subj.length > 0;
    },
  },
  controlRule(
    'IP allow-list',
    'ip-allowlist',
    /ip allow-?list|allow-?list(?:ed)?|whitelist(?:ed)?|ip restrictions?|restricted to (?:the )?(?:office|corporate|known) ip/,
  ),
  controlRule(
    'rate limiting',
    'rate-limiting',
    /rate[- ]limit(?:s|ing|ed)?\b|\bthrottl(?:ing|ed|es|e)\b|usage plans?|request quotas?/,
  ),
  controlRule('MFA', 'mfa', /\bmfa\b|\b2fa\b|two[- ]factor|multi[- ]factor/),
  controlRule(
    'audit logging',
    'audit-logging',
    /audit[- ]log(?:s|ging|ged)?|audit trail|\bcloudtrail\b|access logs?\b|logs every (?:access|request|query|call)/,
  ),
  controlRule(
    'input validation',
    'input-validation',
    /\bvalidat(?:es|e|ing|ion of) (?:the )?(?:input|inputs|request bodies|requests|request payloads|payloads|schemas?|json|request schemas?|bodies)\b|\binput validation\b|\brequest validation\b|\bschema validation\b|\bsanitis(?:es|ation)\b|\bsanitiz(?:es|ation)\b|\bvalidation of (?:its|their) own\b|(?<=\bno )validation\b|\bvalidates every request\b/,
  ),
  {
    name: 'authentication',
    pattern:
      /\bauthenticates (?!to\b|with\b|against\b)\w+|\bauthenticates\b(?= (?:them|users|callers|requests|agents|merchants|clients)\b)|\b(?:checks?|validates?) (?:the )?(?:[\w-]+ )?(?:jwts?|tokens?|api keys?|subscription keys?|credentials|oauth2? tokens?)\b|\bverif(?:ies|y) (?:the )?(?:jwts?|tokens?|signatures?)\b|\benforces (?:the )?api keys\b|\brequires? (?:a )?(?:login|sign-in|authentication)\b|\bauthentication\b/,
    apply: (site, m) => {
      if (/^authentication$/.test(m[0])) {
        // "authentication" alone says something only as a control a component has ("has authentication").
        const before = site.lower.slice(Math.max(0, m.index - 20), m.index);
        if (!/(?:has|have|enforces|provides|does|handles|adds|requires) (?:\w+ )?$/.test(before))
          return false;
      }
      const present = !negated(site.lower, m.index);
      const comps = site.subjectAt(m.index).filter((c) => !c.isUser);
      for (const c of comps) setControl(c, 'authentication', present);
      return comps.length > 0;
    },
  },
  controlRule(
    'authorization',
    'authorization',
    /\bauthori[sz](?:es|e|ing|ation)\b(?!\w)|checks permissions|\brbac\b|access control/,
  ),
  controlRule(
    'human approval',
    'human-approval',
    /human approval|manual approval|approved by a human|requires? (?:an? )?approval|human[- ]in[- ]the[- ]loop|four[- ]eyes|human review/,
  ),
  controlRule(
    'content filtering',
    'content-filtering',
    /content filter(?:ing|s)?|guardrails?|\bmoderation\b|prompt shields?/,
  ),
  controlRule(
    'WAF',
    'waf',
    /\bwaf (?:is )?enabled|(?:with|has) (?:the )?(?:[\w]+ )?waf(?: enabled)?|managed rules|owasp (?:core )?rule ?set/,
  ),
  controlRule('TLS termination', 'tls-termination', /terminates? (?:tls|ssl|https)|(?:tls|ssl) termination/),
  controlRule(
    'network policy',
    'network-policy',
    /network polic(?:y|ies)|egress (?:is )?(?:restricted|filtered|blocked)|security groups? (?:restrict|allow only)/,
  ),
  controlRule('sandbox', 'sandbox', /\bsandbox(?:ed)?\b|gvisor|firecracker/),
  controlRule(
    'signing',
    'signing',
    /signs? (?:its )?(?:images|artifacts|commits|releases)|\bcosign\b|signed (?:images|artifacts|containers)|image signing/,
  ),
  controlRule(
    'output encoding',
    'output-encoding',
    /output encoding|escapes (?:its |all )?output|html[- ]escap/,
  ),
  controlRule('monitoring', 'monitoring', /\bis monitored\b|\bare monitored\b|\balerts? on\b/),
  controlRule(
    'backup',
    'backup',
    /\bbacked up\b|\bdaily backups?\b|\bnightly backups?\b|point-in-time recovery|\bhas backups\b/,
  ),
  {
    name: 'privileged',
    pattern:
      /privileged (?:container|pod|mode)|runs? as root|root (?:access|privileges)|docker socket|hostpath|host network|--privileged|\bnon-root\b|\bunprivileged\b|\brootless\b/,
    apply: (site, m) => {
      const value = !/non-root|unprivileged|rootless/.test(m[0]) && !negated(site.lower, m.index);
      const subj = site.subjectAt(m.index).filter((c) => !c.isUser);
      for (const c of subj) c.privileged = value;
      return subj.length > 0;
    },
  },
  {
    name: 'fetches URLs',
    pattern:
      /fetch(?:es)? (?:arbitrary |any |user[- ]supplied |caller[- ]supplied |customer[- ]supplied |tenant[- ]supplied )urls?|urls? (?:that )?(?:users|tenants|customers|callers) (?:supply|provide)|user[- ]supplied urls?|downloads? (?:any|arbitrary) urls?|link previews?/,
    apply: (site, m) => {
      const subj = site.subjectAt(m.index).filter((c) => !c.isUser);
      for (const c of subj) c.fetchesUrls = !negated(site.lower, m.index);
      return subj.length > 0;
    },
  },
  {
    name: 'replicas',
    pattern:
      /\b(?:a )?single (?:instance|replica|node|pod|server|container)\b|\bone (?:instance|replica|node|pod)\b|only one (?:instance|replica|pod|node)|\b(\d+|two|three|four|five|six|eight|ten) (?:replicas|instances|pods|nodes|copies)\b/,
    apply: (site, m) => {
      const words: Record<string, number> = { two: 2, three: 3, four: 4, five: 5, six: 6, eight: 8, ten: 10 };
      const n = m[1] ? (words[m[1]] ?? Number.parseInt(m[1], 10)) : 1;
      if (!Number.isInteger(n) || n < 1) return false;
      const subj = site.subjectAt(m.index).filter((c) => !c.isUser);
      for (const c of subj) c.replicas = n;
      return subj.length > 0;
    },
  },
  {
    name: 'environment',
    pattern: /\b(?:runs|is|are|lives|deployed) in (production|prod|staging|development|dev)\b/,
    apply: (site, m) => {
      const env = (m[1] ?? '').startsWith('prod')
        ? 'production'
        : (m[1] ?? '').startsWith('dev')
          ? 'development'
          : (m[1] as string);
      const subj = site.subjectAt(m.index).filter((c) => !c.isUser);
      for (const c of subj) c.environment ??= env;
      return subj.length > 0;
    },
  },
  {
    name: 'secrets',
    pattern:
      /environment variables?|env vars?|\.env\b|config(?:uration)? files?|properties files?|settings\.py|appsettings(?:\.json)?|application\.(?:ya?ml|properties)|web\.config|app settings?|configmaps?|hard-?coded|source code|committed to (?:the )?(?:repo|repository|git)|checked into (?:git|the repo)|baked into|(?:container|docker) images?|ci variables?|github secrets|gitlab (?:ci )?variables|pipeline variables|ci secrets|repository secrets|secrets manager|key vault|\bvault\b|secret manager|parameter store/,
    apply: (site, m) => {
      if (!/password|secret|credential|\bkeys?\b|token|connection string|api key/.test(site.lower))
        return false;
      const place = SECRET_PLACES.find(([re]) => re.test(m[0]))?.[1];
      if (!place) return false;
      const owners = site.ownerAt(m.index).filter((c) => !c.isUser);
      for (const c of owners) c.secretsIn.add(place);
      return owners.length > 0;
    },
  },
  // ---- identities and permissions ------------------------------------------------------------------
  {
    name: 'permissions',
    pattern:
      /administratoraccess|\*:\*|\ball permissions\b|\b[a-z0-9]+:\*|full admin(?:istrator)? (?:rights|access|permissions|privileges)|admin(?:istrator)? (?:rights|access|permissions|privileges)|\badmin\b|\bowner role\b|db_owner|superuser|full (?:access|control)|all privileges|cluster-admin|read[- ]write|read and write|write access|read[- ]only|read access/,
    apply: (site, m) => {
      const perm = PERMISSIONS.find(([re]) => re.test(m[0]));
      if (!perm) return false;
      const before = site.lower.slice(Math.max(0, m.index - 60), m.index);
      if (
        !/\b(?:has|have|had|gets|get|got|granted|holds|hold|with|is|are|attached|given|gives)\b/.test(
          before,
        ) &&
        !/administratoraccess/.test(m[0])
      )
        return false;
      let identity = site.identityNamed();
      if (!identity) {
        const owner = site.ownerAt(m.index).filter((c) => !c.isUser)[0];
        if (!owner) return false;
        identity = identityFor(site, owner);
      }
      const rest = site.lower.slice(m.index + m[0].length, m.index + m[0].length + 80);
      const everything =
        /administratoraccess|\*:\*|all permissions|whole (?:account|subscription|project)/.test(
          m[0] + rest,
        ) ||
        /^[^.;]*?\b(?:on|to|over|across|for) (?:all|every|any) (?:resources?|buckets?|tables?|databases?|services?)|^[^.;]*?\bon everything|^[^.;]*?\b(?:the )?(?:whole|entire) (?:account|subscription|project)|^[^.;]*?\bon \*|account-wide|subscription-wide/.test(
          rest,
        ) ||
        (/:\*$/.test(m[0]) && !/\bon\b/.test(rest.slice(0, 12)));
      let resources: (DraftComponent | '*')[] = [];
      if (everything) resources = ['*'];
      else {
        const after = site.componentsAfter(m.index + m[0].length, 8).filter((c) => !c.isUser);
        resources = after;
      }
      if (resources.length === 0) return false;
      for (const r of resources) {
        const existing = identity.grants.find((g) => g.resource === r);
        const actions = perm[1];
        if (existing) for (const a of actions) existing.actions.add(a);
        else identity.grants.push({ resource: r, actions: new Set(actions) });
      }
      return true;
    },
  },
  {
    name: 'credentials lifetime',
    pattern:
      /long[- ]lived|static (?:access )?keys?|never rotated|\baccess keys?\b|service account keys?|json keys?|personal access tokens?|short[- ]lived|temporary credentials|oidc federation|\bfederated\b|\birsa\b|workload identity/,
    apply: (site, m) => {
      const long = /long|static|never|access key|account key|json key|personal access/.test(m[0]);
      let identity = site.identityNamed();
      if (!identity) {
        const owner = site.ownerAt(m.index).filter((c) => !c.isUser)[0];
        if (!owner) return false;
        if (!long && !owner.runsAs) return false;
        identity = identityFor(site, owner);
      }
      identity.credentials = long ? 'long-lived' : 'short-lived';
      return true;
    },
  },
];

/** The identity a component runs as, created when the text first gives it permissions. */
export function identityFor(site: { ctx: Context }, owner: DraftComponent): DraftIdentity {
  if (owner.runsAs) return owner.runsAs;
  const name = `${[...owner.names.keys()][0] ?? 'component'} role`;
  const i = site.ctx.draft.identity(`component:${owner.no}`, name, undefined, site.ctx.origin);
  owner.runsAs = i;
  return i;
}

/** "runs as the IAM role reporting-role", "the IAM user deploy-bot", "X's managed identity". */
export const IDENTITY_PATTERN =
  /\b(?:runs?|executes?|acts?|operates?)(?: \w+ly)? as (?:the |a |an )?(?:(?:iam |aws |azure |gcp |kubernetes )?(?:role|user|service account|managed identity|identity) )?([`'"]?[\w.@:-]+[`'"]?)|\b(?:uses|assumes|with) the (?:iam |aws |gcp |kubernetes )?(?:role|service account|managed identity) ([`'"]?[\w.@:-]+[`'"]?)|\bthe (?:iam |aws )?(?:role|user|service account) ([`'"]?[\w.@:-]+[`'"]?)|\b(?:iam user|machine user|bot user|service account) ([`'"]?[\w.@:-]+[`'"]?)|\bthe ([\w.@:-]+-role)\b/;

export function identityKindOf(phrase: string): 'machine-user' | 'service-role' | undefined {
  if (/\buser\b|bot\b/.test(phrase)) return 'machine-user';
  if (/role|service account|managed identity|identity/.test(phrase)) return 'service-role';
  return undefined;
}

export function identityKey(name: string): string {
  return `identity:${nameKey(name)}`;
}

export function isIdentityName(word: string): boolean {
  return (
    (isIdLike(word) || /^[a-z][\w-]*$/.test(word)) &&
    !['root', 'a', 'an', 'single', 'privileged', 'the', 'it', 'part', 'well', 'its', 'such'].includes(word)
  );
}

export { slug };
