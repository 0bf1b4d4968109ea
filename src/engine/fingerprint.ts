/** Finding fingerprints (DESIGN §4): from ids, never from prose. */
import { hash } from 'node:crypto';

/** First 16 hex characters of SHA-256 over `ruleId\n` + primary ids sorted (UTF-16) and joined by `,`. */
export function fingerprint(ruleId: string, primary: readonly string[]): string {
  return fingerprintOf(ruleId, [...primary].sort().join(','));
}

/**
 * The fingerprint from the primary ids already sorted and joined (the engine merges drafts by that text
 * and hashes once per finding). The one-shot `crypto.hash` avoids a Hash object per call.
 */
export function fingerprintOf(ruleId: string, sortedPrimary: string): string {
  return hash('sha256', `${ruleId}\n${sortedPrimary}`, 'hex').slice(0, 16);
}
