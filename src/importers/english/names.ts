/** Names, lookup keys and ids: the same name always gives the same id. */

const DIACRITICS = /[\u0300-\u036f]/g;

/** An id from a name: lower case, words joined by `-`, at most 64 characters ("CloudFront" → cloudfront). */
export function slug(name: string): string {
  const s = name
    .normalize('NFKD')
    .replace(DIACRITICS, '')
    .toLowerCase()
    .replace(/'s\b/g, 's')
    .replace(/[^a-z0-9._:/@-]+/g, '-')
    .replace(/[/:@]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  const cut = s.slice(0, 64).replace(/[^a-z0-9]+$/, '');
  return cut === '' ? 'element' : cut;
}

/** A lookup key: case, spacing and punctuation ignored; "database" is "db", "production" is "prod". */
export function nameKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(DIACRITICS, '')
    .toLowerCase()
    .replace(/^(?:the|a|an|our|their|its)\s+/, '')
    .replace(/\bdatabase\b/g, 'db')
    .replace(/\bproduction\b/g, 'prod')
    .replace(/'s\b/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Hyphenated English words that are not identifiers. */
const HYPHENATED = new Set([
  'on-premises',
  'on-prem',
  'third-party',
  'read-only',
  'write-only',
  'read-write',
  'e-mail',
  'e-mails',
  'end-to-end',
  'built-in',
  'multi-tenant',
  'single-tenant',
  'long-lived',
  'short-lived',
  'hard-coded',
  'self-hosted',
  'self-managed',
  'real-time',
  'single-page',
  'sign-in',
  'log-in',
  'opt-in',
  'follow-up',
  'up-to-date',
  'well-known',
  'client-side',
  'server-side',
  'non-root',
  'cross-region',
  'cross-account',
  'in-memory',
  'at-rest',
  'in-transit',
  'two-factor',
  'multi-factor',
  'rate-limited',
  'rate-limiting',
  'rate-limit',
  'allow-list',
  'allow-listed',
  'deny-list',
  'internet-facing',
  'user-supplied',
  'caller-supplied',
  'customer-managed',
  'a.k.a',
  'e.g',
  'i.e',
  'etc',
  'pre-signed',
  'presigned',
  'sign-up',
  'log-out',
  'back-end',
  'front-end',
  'back-office',
  'stock-low',
  'heart-rate',
  'high-value',
  'low-latency',
  'zero-trust',
  'man-in-the-middle',
  'cluster-admin',
  'point-in-time',
  'geo-replicated',
  'geo-replication',
  'x-api-key',
  'sslmode=disable',
  'open-source',
  'run-time',
  'day-to-day',
  'one-off',
  'co-located',
  'to-do',
  'no-reply',
  'in-house',
  'e-commerce',
  'transit-gateway',
  'plain-english',
  'api-first',
  'event-driven',
  'cloud-native',
  'full-text',
  'start-up',
  'set-up',
  'check-out',
  'log-on',
  'add-on',
  'plug-in',
  'drop-in',
  'built-up',
  'state-of-the-art',
]);

/** Whether a word is written like an identifier (orders-db, cart_cache, api.internal). */
export function isIdLike(word: string): boolean {
  return (
    /^[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)+$/.test(word) &&
    /[A-Za-z]/.test(word) &&
    !/^\d/.test(word) &&
    !HYPHENATED.has(word.toLowerCase()) &&
    !/^(?:non|pre|re|co|multi|self|cross|anti|sub|semi|over|under|post|geo)-/i.test(word) &&
    !/\.(?:js|net|io|com|org)$/i.test(word)
  );
}

/** English plural to singular, for the common cases. */
export function singular(word: string): string {
  const w = word;
  if (/ies$/i.test(w) && w.length > 4) return `${w.slice(0, -3)}y`;
  if (/(?:ss|us|is|ics)$/i.test(w)) return w;
  if (/(?:sh|ch|x|ses|zes)es$/i.test(w)) return w.slice(0, -2);
  if (/s$/i.test(w) && w.length > 3) return w.slice(0, -1);
  return w;
}

export function capitalise(s: string): string {
  return s.length === 0 ? s : `${(s[0] as string).toUpperCase()}${s.slice(1)}`;
}

/** The id of a component from its display name: "Orders service" → orders, "Orders database" → orders-db. */
export function componentIdFrom(name: string): string {
  if (/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) && !/[A-Z]/.test(name))
    return name.toLowerCase().slice(0, 64);
  const words = name.split(/\s+/);
  if (words.length > 1 && /^(?:service|microservice|svc)$/i.test(words[words.length - 1] as string))
    words.pop();
  return slug(words.join(' ').replace(/\bdatabase\b/gi, 'db'));
}
