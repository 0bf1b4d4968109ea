import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeLoaded } from '../cli/commands/pipeline.js';
import { loadModelFiles } from '../model/load.js';
import { buildIdIndex, checkIds, type IdIndex } from './llm-ids.js';
import { TOOL_NAMES } from './llm-tools.js';
import type { AskContext } from './types.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/ecommerce-aws.yaml', import.meta.url));
let ctx: AskContext;
let index: IdIndex;

beforeAll(() => {
  const loaded = loadModelFiles([EXAMPLE]);
  if (!loaded.ok) throw new Error('the example does not load');
  ctx = { loaded, analysis: analyzeLoaded(loaded, { asOf: '2025-01-01' }).analysis, asOf: '2025-01-01' };
  index = buildIdIndex(ctx, TOOL_NAMES);
});

const check = (text: string) => checkIds(text, index);
const finding = (rule: string) => {
  const f = ctx.analysis.findings.find((x) => x.ruleId === rule);
  if (!f) throw new Error(`no ${rule} finding`);
  return f;
};

describe('checkIds: what is cited', () => {
  it('backticked finding, element, rule, question and control ids are cited', () => {
    const f = finding('authentication-without-authorization');
    const r = check(
      `\`${f.id}\` on \`cart\` (rule \`authentication-without-authorization\`); see \`api-gw#secrets-in\` and \`SC-8\`.`,
    );
    expect(r).toEqual({
      findings: [f.id],
      elements: ['api-gw', 'cart'],
      rules: ['authentication-without-authorization'],
      controls: ['SC-8'],
      questions: ['api-gw#secrets-in'],
      unknown: [],
    });
  });

  it('bare fingerprints, hyphenated element ids, rule ids, flows, paths and controls are cited', () => {
    const f = finding('unencrypted-replication');
    const r = check(
      `Finding ${f.id}: orders-db replicates over api-gw->cart, and shopper->cdn->waf is a path. ` +
        'The unencrypted-replication rule maps to AC-3/AC-6, CWE-285, PCI DSS 7.2.1, 164.312(a)(1).',
    );
    expect(r.unknown).toEqual([]);
    expect(r.findings).toEqual([f.id]);
    expect(r.rules).toEqual(['unencrypted-replication']);
    // shopper->cdn is joined by two flows: both are cited.
    expect(r.elements).toEqual(
      [
        'api-gw->cart',
        'cdn',
        'cdn->waf',
        'orders-db',
        'shopper',
        'shopper-api',
        'shopper-browse',
        'waf',
      ].sort(),
    );
    expect(r.controls).toEqual(['164.312(a)(1)', '7.2.1', 'AC-3', 'AC-6', 'CWE-285']);
  });

  it('plain words that happen to be element ids are cited only in backticks', () => {
    expect(check('The cart and the admin.').elements).toEqual([]);
    expect(check('The `cart` and the `admin`.').elements).toEqual(['admin', 'cart']);
  });

  it('a derived flow id names the written flow; arrows with spaces in backticks are read as one id', () => {
    expect(check('`api-gw -> cart` and `cart → cart-cache`').elements).toEqual([
      'api-gw->cart',
      'cart->cart-cache',
    ]);
  });
});

describe('checkIds: what is unknown', () => {
  it('made-up ids in backticks', () => {
    expect(
      check('`deadbeefdeadbeef`, `0000000000000000`, `2ff52db8`, `orders-database`, `foo#bar`, `PR-12`')
        .unknown,
    ).toEqual(['deadbeefdeadbeef', '0000000000000000', '2ff52db8', 'orders-database', 'foo#bar', 'PR-12']);
  });

  it('a flow or path hop that does not exist', () => {
    expect(check('`api-gw->orders-db`, and shopper->cdn->orders-db').unknown).toEqual([
      'api-gw->orders-db',
      'cdn->orders-db',
    ]);
  });

  it('bare fingerprints and controls that nothing maps to', () => {
    expect(
      check('Finding 0123456789abcdef maps to SC-99, CWE-9999, A.9.99 and PCI requirement 9.9.9.').unknown,
    ).toEqual(['0123456789abcdef', 'SC-99', 'CWE-9999', '9.9.9']);
  });

  it('bare kebab-case words that are near misses of real ids or are called a rule', () => {
    expect(
      check('See missing-rate-limit, the missing-tls-everywhere rule, rule: no-such-thing, and order-db.')
        .unknown,
    ).toEqual(['missing-rate-limit', 'missing-tls-everywhere', 'no-such-thing', 'order-db']);
  });
});

describe('checkIds: the false-positive guard', () => {
  it('ordinary hyphenated English is not an id', () => {
    const r = check(
      'A man-in-the-middle on an end-to-end path to a third-party is a defense-in-depth, least-privilege, ' +
        'non-production, read-only, up-to-date, single-factor, denial-of-service and information-disclosure ' +
        'concern; a well-known, long-lived, built-in, cross-account, deny-by-default, zero-trust design.',
    );
    expect(r.unknown).toEqual([]);
  });

  it('versions, addresses, URLs, abbreviations and non-NIST two-letter codes are not ids', () => {
    const r = check(
      'Use TLS 1.2 or later (version 1.2.3); the VPC is 10.20.0.0/16 and the host 10.20.1.5. ' +
        'See https://owasp.org/Top10/A02_2021-Cryptographic_Failures/, e.g. PR-12, US-1 or ISO 27001:2022.',
    );
    expect(r.unknown).toEqual([]);
  });

  it('vocabulary terms, model values, field references, numbers and tool names in backticks are not ids', () => {
    const r = check(
      'Set `authn` to `mtls` (not `none`), `encrypted: true`, `encrypted-at-rest`, `https`, `aws-cloudfront`, ' +
        '`critical`, `information-disclosure`, `pci-dss-4`, port `443`, `cart#controls`, and call `ask_engine`.',
    );
    expect(r.unknown).toEqual([]);
    expect(r.elements).toEqual(['cart']);
  });

  it('code blocks are examples: only fingerprints in them are checked', () => {
    const r = check('Add this:\n```yaml\n- { id: new-waf, kind: waf }\n```\nand run `threatkrew`.');
    expect(r.unknown).toEqual([]);
    expect(check('```\nfinding 0123456789abcdef\n```').unknown).toEqual(['0123456789abcdef']);
  });

  it('a risk decision naming a finding id that no longer exists does not make it a word', () => {
    expect(index.terms.has('0123456789abcdef')).toBe(false);
  });
});
