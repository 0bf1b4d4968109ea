import { describe, expect, it } from 'vitest';
import type { Boundary, Component } from '../../model/schema.js';
import type { FlowFacts } from '../../model/view.js';
import { viewOf } from '../testing/view-of.js';
import {
  appliesFact,
  boundariesText,
  controlsFact,
  exposureFact,
  listsFact,
  notAppliedText,
  statedAuthn,
} from './evidence.js';

const component = (extra: Partial<Component> = {}): Component => ({ id: 'api', kind: 'service', ...extra });

describe('evidence', () => {
  it('exposureFact: stated public, else called from the internet', () => {
    expect(exposureFact(component({ exposure: 'public' }))).toBe('api exposure: public');
    expect(exposureFact(component())).toBe('api is called directly from the internet');
  });

  it('controlsFact and listsFact say what the lists hold, or that they are not stated', () => {
    expect(controlsFact(component({ controls: ['waf'] }), 'audit-logging')).toBe(
      'api controls: [waf] (no audit-logging)',
    );
    expect(controlsFact(component({ enforces: ['waf'] }), 'audit-logging')).toBe(
      'api does not state its controls',
    );
    expect(listsFact(component({ controls: ['waf'], enforces: [] }), 'rate-limiting')).toBe(
      'api enforces [], controls [waf] (no rate-limiting)',
    );
    expect(listsFact(component(), 'rate-limiting')).toBe('api states neither controls nor enforces');
  });

  it('appliesFact names the list that holds the control; notAppliedText why it is not applied', () => {
    expect(appliesFact(component({ controls: ['mfa'] }), 'mfa')).toBe('api controls include mfa');
    expect(appliesFact(component({ enforces: ['mfa'] }), 'mfa')).toBe('api enforces include mfa');
    expect(notAppliedText(false, 'signing')).toBe('no signing in controls or enforces');
    expect(notAppliedText('unknown', 'signing')).toBe('controls and enforces not stated');
  });

  it('boundariesText and statedAuthn', () => {
    const bs: Boundary[] = [
      { id: 'eu', kind: 'region' },
      { id: 'prod', kind: 'cloud-account' },
    ];
    expect(boundariesText(bs)).toBe('region eu, cloud-account prod');
    const view = viewOf(`
components:
  - { id: a, kind: service }
  - { id: b, kind: service }
flows:
  - { from: a, to: b, authn: mtls }
  - { from: b, to: a }
`);
    expect(statedAuthn(view.flow('a->b') as FlowFacts)).toBe('mtls');
    expect(statedAuthn(view.flow('b->a') as FlowFacts)).toBe('not stated');
  });
});
