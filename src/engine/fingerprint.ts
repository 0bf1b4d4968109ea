/** Finding fingerprints (DESIGN §4): from ids, never from prose. */
import { createHash } from 'node:crypto';

/** First 16 hex characters of SHA-256 over `ruleId\n` + primary ids sorted (UTF-16) and joined by `,`. */
export function fingerprint(ruleId: string, primary: readonly string[]): string {
  const ids = [...primary].sort().join(',');
  return createHash('sha256').update(`${ruleId}\n${ids}`, 'utf8').digest('hex').slice(0, 16);
}
