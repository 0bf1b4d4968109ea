/**
 * Facts of single elements: where secrets live, exposure, replicas, credential lifetime, privilege, URL
 * fetching, trust assumptions and data classification.
 */
import { CREDENTIAL_LIFETIMES, TRUST_ASSUMPTIONS } from '../../model/vocabulary.js';
import type { Edit } from './change.js';
import { currentValue } from './change.js';
import { type ClauseParser, clarify, componentsRunningAs, identitiesIn, of, ok } from './clause.js';
import { ASSUMPTION_PHRASES, findPhrase, NUMBERS, SECRET_PHRASES } from './phrases.js';
/** "move reporting's secrets to the secret store", "reporting kept its secrets in env". */
export const parseSecrets: ClauseParser = (env, c) => {
  if (!/\bsecrets?\b|\bcredentials?\b|\bkeys?\b|\bpasswords?\b|\btokens?\b|secrets-in/.test(c.bare))
    return undefined;
  const where = /\b(?:in|into|to|from|inside|via|using|through)\s+(?:an?\s+|the\s+)?(.+)$/.exec(c.bare);
  const loc = where ? findPhrase(where[1] as string, SECRET_PHRASES) : findPhrase(c.bare, SECRET_PHRASES);
  if (!loc) return undefined;
  const comps = of(c, ['component']);
  const targets = comps.length > 0 ? comps : componentsRunningAs(env, of(c, ['identity']));
  if (targets.length === 0)
    return clarify(
      'Which component keeps the secrets? Name it (its id), e.g. "what if reporting kept its secrets in the secret store".',
    );
  return ok(targets.map((t) => ({ op: 'set', element: t.id, attribute: 'secrets-in', value: [loc.key] })));
};

/** "make X internal", "take X off the internet", "expose X". */
export const parseExposure: ClauseParser = (_env, c) => {
  let value: string | undefined;
  if (
    /\b(?:internal|private|internal[- ]only|not public|not exposed|unexposed|behind (?:a |the )?vpn|vpn[- ]only|off the internet|hide|hid|hidden|unreachable from the internet|no longer public|not internet[- ]facing)\b|\bstop(?:ped)? exposing\b/.test(
      c.bare,
    )
  )
    value = 'internal';
  else if (
    /\b(?:public|exposed|expose|exposing|internet[- ]facing|on the internet|publicly reachable)\b/.test(
      c.bare,
    )
  )
    value = 'public';
  if (value === undefined) return undefined;
  if (/\bflow\b|\bdata\b/.test(c.bare) && of(c, ['component']).length === 0) return undefined;
  const comps = of(c, ['component']);
  if (comps.length === 0) return undefined;
  return ok(comps.map((x) => ({ op: 'set', element: x.id, attribute: 'exposure', value })));
};

/** "orders-db had 3 replicas", "add a replica to X", "make X highly available". */
export const parseReplicas: ClauseParser = (env, c) => {
  const comps = of(c, ['component']);
  let n: number | undefined;
  const count =
    /\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|a|an|single)\s+(?:more\s+)?(?:replicas?|instances?|copies|nodes|pods|availability zones|azs)\b/.exec(
      c.bare,
    );
  if (
    /\b(?:add|added|adding|another|one more|extra|second)\b.*\b(?:replica|instance|copy|node)\b/.test(
      c.bare,
    ) &&
    !/\b\d+\s+replicas\b/.test(c.bare)
  ) {
    const target = comps[0];
    if (!target) return undefined;
    const cur = currentValue(env.ctx.loaded.model, target.id, 'replicas');
    const extra =
      count && !/^(?:a|an|single|one)$/.test(count[1] as string)
        ? (NUMBERS[count[1] as string] ?? Number(count[1]))
        : 1;
    n = (typeof cur === 'number' ? cur : 1) + extra;
  } else if (count) {
    n = NUMBERS[count[1] as string] ?? Number(count[1]);
  } else if (/\b(?:highly available|high availability|redundant|ha|multi-az|clustered)\b/.test(c.bare)) {
    const target = comps[0];
    if (!target) return undefined;
    const cur = currentValue(env.ctx.loaded.model, target.id, 'replicas');
    n = typeof cur === 'number' && cur >= 2 ? cur : 2;
  } else {
    const scale = /\bscale[sd]?\s+(?:\S+\s+)?(?:out\s+|up\s+)?to\s+(\d+|two|three|four|five)\b/.exec(c.bare);
    if (scale) n = NUMBERS[scale[1] as string] ?? Number(scale[1]);
  }
  if (n === undefined) return undefined;
  if (comps.length === 0) return clarify('Which component should run more replicas? Name it by id.');
  return ok(comps.map((x) => ({ op: 'set', element: x.id, attribute: 'replicas', value: n })));
};

/** "ci-deployer used short-lived credentials", "rotate the key of datadog-integration". */
export const parseCredentials: ClauseParser = (env, c) => {
  let value: string | undefined;
  if (
    /\b(?:short[- ]lived|temporary|ephemeral|rotated|rotating|rotate|oidc federation|workload identity|federated)\b/.test(
      c.bare,
    )
  )
    value = 'short-lived';
  else if (/\b(?:long[- ]lived|static|permanent|never rotated)\b/.test(c.bare)) value = 'long-lived';
  if (value === undefined) return undefined;
  if (
    !/\bcredentials?|keys?|tokens?|secrets?|role|identity|account|passwords?\b/.test(c.bare) &&
    of(c, ['identity']).length === 0
  )
    return undefined;
  const identities = identitiesIn(env, c);
  if (identities.length === 0) return undefined;
  if (!(CREDENTIAL_LIFETIMES as readonly string[]).includes(value)) return undefined;
  return ok(identities.map((i) => ({ op: 'set', element: i.id, attribute: 'credentials', value })));
};

/** "X ran unprivileged", "X stopped fetching URLs". */
export const parseFlags: ClauseParser = (_env, c) => {
  const comps = of(c, ['component']);
  if (comps.length === 0) return undefined;
  if (
    /\b(?:unprivileged|non-root|nonroot|rootless|not privileged|without privileges|no longer privileged|drop(?:ped)? privileges)\b/.test(
      c.bare,
    )
  )
    return ok(comps.map((x) => ({ op: 'set', element: x.id, attribute: 'privileged', value: false })));
  if (/\b(?:privileged|as root|with root)\b/.test(c.bare) && !/\bprivileged access\b/.test(c.bare))
    return ok(comps.map((x) => ({ op: 'set', element: x.id, attribute: 'privileged', value: true })));
  if (/\burls?\b/.test(c.bare)) {
    const no = /\b(?:stop(?:ped|s)?|no longer|did ?n[o']t|does ?n[o']t|never|not)\b/.test(c.bare);
    return ok(comps.map((x) => ({ op: 'set', element: x.id, attribute: 'fetches-urls', value: !no })));
  }
  return undefined;
};

/** "orders stopped assuming input is validated upstream", "inventory no longer trusts the network". */
export const parseAssumes: ClauseParser = (_env, c) => {
  if (!/\bassum|\btrust|\brel(?:y|ies|ied|ying) on\b|\bdepend/.test(c.bare)) return undefined;
  const hit = findPhrase(c.bare, ASSUMPTION_PHRASES);
  if (!hit) {
    if (!/\bassum/.test(c.bare)) return undefined;
    return clarify(`Which assumption? Valid: ${TRUST_ASSUMPTIONS.join(', ')}.`);
  }
  const comps = of(c, ['component']);
  if (comps.length === 0) return clarify('Which component makes that assumption? Name it by id.');
  const stop =
    /\b(?:stop(?:ped|s)?|no longer|did ?n[o']t|does ?n[o']t|do ?n[o']t|never|without|drop(?:ped)?|remove[ds]?)\b/.test(
      c.bare,
    );
  return ok(
    comps.map(
      (x) => ({ op: stop ? 'remove' : 'add', element: x.id, attribute: 'assumes', value: hit.key }) as Edit,
    ),
  );
};

/** "secrets-in: [secret-store]" written as "X's secrets in vault" falls to parseSecrets; kinds and data follow. */
export const parseClassification: ClauseParser = (_env, c) => {
  const data = of(c, ['data']);
  if (data.length === 0) return undefined;
  const m =
    /\b(?:classified|classification|reclassified|were|was|is|as)\s+(?:as\s+)?(public|internal|confidential|financial|pii|phi|pci|credentials|secret)\b/.exec(
      c.bare,
    );
  if (!m) return undefined;
  return ok(data.map((d) => ({ op: 'set', element: d.id, attribute: 'classification', value: m[1] })));
};

/** "what if we signed a BAA with push-providers", "what if okta had no DPA". */
export const parseAgreement: ClauseParser = (_env, c) => {
  if (
    !/\b(?:agreements?|baa|dpa|data[- ]processing agreement|business associate agreement|contract)\b/.test(
      c.bare,
    )
  )
    return undefined;
  const targets = of(c, ['component', 'boundary']);
  if (targets.length === 0) return clarify('With which third party (a component or boundary id)?');
  const value = !/\b(?:no|without|lost|lose|cancel(?:led)?|ended|end|terminated?|lapsed?)\b/.test(c.bare);
  return ok(targets.map((t) => ({ op: 'set', element: t.id, attribute: 'agreement', value })));
};
