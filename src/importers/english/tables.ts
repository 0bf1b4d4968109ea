/**
 * Markdown tables read as sentences: a component table ("Name | Technology | Notes") row becomes
 * "Name is a Technology. Name: Notes.", a flow table ("From | To | Protocol | Auth") row becomes
 * "From calls To over Protocol with Auth authentication." The sentences are then read like prose.
 */
import { isVerbWord } from './verbs.js';

type Role =
  | 'name'
  | 'tech'
  | 'runtime'
  | 'talks'
  | 'from'
  | 'to'
  | 'protocol'
  | 'auth'
  | 'encryption'
  | 'data'
  | 'notes'
  | 'other';

function roleOf(header: string): Role {
  const h = header.toLowerCase().replace(/[*_`]/g, '').trim();
  if (/^(?:from|source|caller|client|producer|origin)$/.test(h)) return 'from';
  if (/^(?:to|target|destination|callee|server|consumer|dest)$/.test(h)) return 'to';
  if (/^(?:name|component|service|system|element|what|app|application|resource)s?$/.test(h)) return 'name';
  if (/talks to|calls|depends on|dependencies|connects to|downstream|outbound|integrations?|uses/.test(h))
    return 'talks';
  if (/runs on|hosting|hosted|platform|runtime|where|location|deployed|infrastructure|environment/.test(h))
    return 'runtime';
  if (/protocol|transport/.test(h)) return 'protocol';
  if (/auth/.test(h)) return 'auth';
  if (/encrypt|tls/.test(h)) return 'encryption';
  if (/data/.test(h)) return 'data';
  if (/tech|type|kind|stack|product|implementation|built with|language/.test(h)) return 'tech';
  if (/notes?|description|comments?|purpose|details|remarks|security|what it does|role/.test(h))
    return 'notes';
  return 'other';
}

const clean = (s: string) => s.replace(/[*_`]/g, '').trim();
const empty = (s: string | undefined) => s === undefined || /^(?:|-|—|n\/a|none listed|\?)$/i.test(clean(s));

/** The sentences a table row says, or none when the row has nothing to read. */
export function rowSentences(header: readonly string[], cells: readonly string[]): string[] {
  const roles = header.map(roleOf);
  if (!roles.includes('name') && !roles.includes('from')) roles[0] = 'name';
  const get = (role: Role) => cells.filter((_, i) => roles[i] === role && !empty(cells[i])).map(clean);
  const out: string[] = [];
  const from = get('from')[0];
  const to = get('to')[0];
  if (from && to) {
    const protocol = get('protocol')[0];
    const auth = get('auth')[0];
    const enc = get('encryption')[0];
    const data = get('data')[0];
    let s = `${from} calls ${to}`;
    if (protocol) s += ` over ${protocol}`;
    if (auth)
      s += /^(?:none|no|no auth|unauthenticated|anonymous)$/i.test(auth)
        ? ' without authentication'
        : ` with ${auth} authentication`;
    if (enc)
      s += /^(?:no|none|false|plaintext|unencrypted)$/i.test(enc)
        ? ' without encryption'
        : /^(?:yes|true|tls)$/i.test(enc)
          ? ' over TLS'
          : `, ${enc}`;
    if (data) s += `, sending ${data}`;
    out.push(`${s}.`);
    for (const n of [...get('notes'), ...get('other')]) out.push(`${from} calls ${to} ${n}.`);
    return out;
  }
  const name = get('name')[0];
  if (!name) return [];
  for (const tech of get('tech')) out.push(`${name} is ${/^[aeiou]/i.test(tech) ? 'an' : 'a'} ${tech}.`);
  for (const rt of get('runtime')) out.push(`${name} runs on ${rt}.`);
  const talks = get('talks');
  if (talks.length > 0) out.push(`${name} calls ${talks.join(', ')}.`);
  for (const p of get('protocol')) out.push(`${name} uses ${p}.`);
  for (const d of get('data')) out.push(`${name} stores ${d}.`);
  for (const n of [...get('notes'), ...get('other')]) {
    const first = n.split(/\s+/)[0]?.toLowerCase() ?? '';
    out.push(
      isVerbWord(first) || ['is', 'are', 'has', 'holds', 'stores', 'no', 'not'].includes(first)
        ? `${name} ${n}.`
        : `${name}: ${n}.`,
    );
  }
  if (out.length === 0) out.push(`${name}.`);
  return out;
}
