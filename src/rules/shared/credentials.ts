/**
 * Credentials and what they open: where a component's secrets are exposed, what a stolen identity's
 * grants put at stake, and how a grant is written in the evidence. Used by the secrets, SSRF and
 * long-lived credential rules.
 */
import { isBroadGrant, isManagementPlane } from '../../model/queries.js';
import type { Component, Grant } from '../../model/schema.js';
import type { View } from '../../model/view.js';
import type { SecretLocation } from '../../model/vocabulary.js';
import type { Impact } from '../define-rule.js';
import { dataImpact, maxImpact } from '../factors.js';

/** Where a secret is readable by whoever reads the code, the image, the pipeline or the host. */
export const EXPOSED_SECRET_LOCATIONS: ReadonlySet<SecretLocation> = new Set([
  'env',
  'config-file',
  'source-code',
  'container-image',
  'ci-variables',
]);

/** The component's `secrets-in` locations that expose the secrets (all but a secret store), in its order. */
export function exposedSecretLocations(c: Component): SecretLocation[] {
  return (c['secrets-in'] ?? []).filter((p) => EXPOSED_SECRET_LOCATIONS.has(p));
}

/**
 * What an attacker holding the identity's credentials gets from one grant: very high for admin or "*"
 * on every resource or on a control plane (admin over all it runs), high for other broad grants or any
 * grant on every resource, else the impact of the data the resource stores.
 */
export function stolenGrantImpact(view: View, g: Grant): Impact {
  if (g.resource === '*') return isBroadGrant(g) ? 'very-high' : 'high';
  const resource = view.component(g.resource);
  const plane = isBroadGrant(g) && resource !== undefined && isManagementPlane(resource);
  return maxImpact(
    isBroadGrant(g) ? 'high' : 'low',
    plane ? 'very-high' : 'low',
    dataImpact(view.stored(g.resource)),
  );
}

/** "grant on orders-db: actions [read, write], scope [orders]" (scope only when stated). */
export function grantFact(g: Grant): string {
  return `grant on ${g.resource}: actions [${g.actions.join(', ')}]${g.scope ? `, scope [${g.scope.join(', ')}]` : ''}`;
}
