/**
 * Encryption at rest, shared by unencrypted-data-at-rest, sensitive-data-in-unencrypted-cache and
 * sensitive-data-on-client-device: the evidence line for a component's `encrypted-at-rest`, and the
 * confirmed-or-assumed finding for a component that keeps sensitive data without it.
 */
import type { Component } from '../../model/schema.js';
import type { Draft } from '../define-rule.js';

/** "orders-db: encrypted-at-rest false" (or unknown, or not stated). */
export function atRestFact(c: Component): string {
  const atRest = c['encrypted-at-rest'];
  return `${c.id}: encrypted-at-rest ${atRest === undefined ? 'not stated' : String(atRest)}`;
}

/** A draft without its verdict: what the component's finding says whatever `encrypted-at-rest` is. */
export type AtRestCommon = Omit<Draft, 'messageId' | 'confidence' | 'evidence' | 'unknowns'>;

/**
 * The finding on a component not stated as encrypted at rest, as message `unencrypted` (confirmed,
 * `encrypted-at-rest: false`) or `unstated` (assumed, with a question); the rule declares both messages.
 * `context` follows the encryption fact in the evidence.
 */
export function atRestDraft(c: Component, common: AtRestCommon, context: readonly string[]): Draft {
  if (c['encrypted-at-rest'] === false) {
    return {
      ...common,
      messageId: 'unencrypted',
      confidence: 'confirmed',
      evidence: [atRestFact(c), ...context],
    };
  }
  return {
    ...common,
    messageId: 'unstated',
    confidence: 'assumed',
    evidence: [atRestFact(c), ...context],
    unknowns: [{ subject: c.id, attribute: 'encrypted-at-rest' }],
  };
}
