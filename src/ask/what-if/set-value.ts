/**
 * Setting attributes by name: "set X authn to mtls", "X.replicas = 3", "the answer to <question> is ...",
 * "clear X encrypted"; values are read by the attribute's type (tri-state, enum, list, number, reference).
 */
import type { Env } from '../env.js';
import { andList } from '../text.js';
import { FIELDS, fieldOf, kindIn } from './change.js';
import { type ClauseParser, clarify, ok, type ParsedChange, resolveIn } from './clause.js';
import { AUTHN_PHRASES, CONTROL_PHRASES, findPhrase, NUMBERS, SECRET_PHRASES } from './phrases.js';
/** "the answer to cognito#controls is [mfa]", "q-search-replicas = 3". */
export const parseAnswer: ClauseParser = (env, c) => {
  const q = c.mentions.find((m) => m.entity.kind === 'question');
  if (!q) return undefined;
  const question = env.analysis.questions.find((x) => x.id === q.entity.id);
  if (!question) return undefined;
  const after = c.text.slice(q.end);
  const m = /^\s*(?:is|was|were|=|:|to|with|as|would be|becomes|became)\s+(.+)$/.exec(after);
  const raw = m?.[1] ?? /(?:answer(?:ed)? (?:it )?(?:with|as|by saying)|say|said)\s+(.+)$/.exec(c.text)?.[1];
  if (raw === undefined)
    return clarify(`Give the answer to ${question.id}, e.g. "what if the answer to ${question.id} is ...".`);
  return setValue(env, question.subject, question.attribute, raw);
};

/** "set X authn to mtls", "X.encrypted = true", "change the exposure of X to internal". */
export const parseSet: ClauseParser = (env, c) => {
  const patterns: RegExp[] = [
    /^(?:set|change|update|switch|make)\s+(?:the\s+)?(?<attr>[a-z][a-z -]*?)\s+(?:of|for|on)\s+(?<el>\S+)\s+(?:to|=)\s+(?<value>.+)$/,
    /^(?:set|change|update|switch|make)\s+(?<el>\S+?)(?:'s|\.|\s)\s*(?<attr>[a-z][a-z -]*?)\s+(?:to|=)\s+(?<value>.+)$/,
    /^(?<el>\S+?)(?:'s|\.)\s*(?<attr>[a-z][a-z -]*?)\s*(?:=|:|\s+(?:is|was|were|became|becomes|to|set to|changed to))\s+(?<value>.+)$/,
    /^(?<el>\S+?)\s+(?<attr>[a-z][a-z-]*)\s*(?:=|:)\s*(?<value>.+)$/,
    /^(?:the\s+)?(?<attr>[a-z][a-z -]*?)\s+of\s+(?<el>\S+)\s+(?:is|was|were|became|=|to|set to|changed to)\s+(?<value>.+)$/,
  ];
  for (const [n, re] of patterns.entries()) {
    const m = re.exec(c.text);
    if (!m?.groups) continue;
    const target = resolveIn(env, c, m.groups.el as string);
    if (!target) {
      // "set X attr to V" names its element plainly: one that does not exist is not guessed at.
      if (n <= 1 && /[-_.:/@]/.test(m.groups.el as string)) {
        const r = env.index.resolve(m.groups.el as string, [
          'component',
          'flow',
          'identity',
          'data',
          'boundary',
        ]);
        const near =
          r.status === 'none' ? r.suggestions : r.status === 'ambiguous' ? r.candidates : [r.entity];
        return clarify(
          `There is no element '${m.groups.el}' in the model${
            near.length > 0
              ? `; did you mean ${andList(
                  near.map((e) => e.id),
                  'or',
                )}?`
              : '.'
          }`,
          near,
        );
      }
      continue;
    }
    const attr = attributeName(target.kind, m.groups.attr as string);
    if (!attr) {
      const kind = target.kind as keyof typeof FIELDS;
      if (!(kind in FIELDS)) continue;
      return clarify(
        `A ${target.kind} has no attribute '${(m.groups.attr as string).trim()}' a what-if can set; valid: ${Object.keys(FIELDS[kind]).join(', ')}.`,
      );
    }
    return setValue(env, target.id, attr, m.groups.value as string);
  }
  const clear =
    /^(?:clear|unset|forget|remove|drop|delete)\s+(?:the\s+)?(?:(?<attr1>[a-z][a-z -]*?)\s+(?:of|for|on)\s+(?<el1>\S+)|(?<el2>\S+?)(?:'s|\.|\s)\s*(?<attr2>[a-z][a-z -]*?))$/.exec(
      c.text,
    ) ??
    /^(?<el2>\S+?)(?:'s|\.|\s)\s*(?<attr2>[a-z][a-z -]*?)\s+(?:was|were|is)\s+(?:unknown|not stated|unstated)$/.exec(
      c.text,
    );
  if (clear?.groups) {
    const target = resolveIn(env, c, (clear.groups.el1 ?? clear.groups.el2) as string);
    const attrText = (clear.groups.attr1 ?? clear.groups.attr2) as string;
    if (target) {
      const attr = attributeName(target.kind, attrText);
      if (attr) return ok([{ op: 'clear', element: target.id, attribute: attr }]);
    }
  }
  return undefined;
};

const ATTRIBUTE_ALIASES: Readonly<Record<string, string>> = {
  encryption: 'encrypted',
  'encryption at rest': 'encrypted-at-rest',
  'at rest encryption': 'encrypted-at-rest',
  'at-rest encryption': 'encrypted-at-rest',
  'encrypted at rest': 'encrypted-at-rest',
  authentication: 'authn',
  auth: 'authn',
  'authentication method': 'authn',
  secrets: 'secrets-in',
  'secrets in': 'secrets-in',
  'secret location': 'secrets-in',
  'runs as': 'runs-as',
  identity: 'runs-as',
  role: 'runs-as',
  'fetches urls': 'fetches-urls',
  'replica count': 'replicas',
  'number of replicas': 'replicas',
  replica: 'replicas',
  instances: 'replicas',
  network: 'via',
  'credential lifetime': 'credentials',
  credential: 'credentials',
  boundary: 'in',
  zone: 'in',
  classification: 'classification',
  class: 'classification',
  exposed: 'exposure',
};

export function attributeName(kind: string, text: string): string | undefined {
  const t = text.trim().replace(/\s+/g, ' ');
  const fields = FIELDS[kind as keyof typeof FIELDS];
  if (!fields) return undefined;
  if (t in fields) return t;
  const dashed = t.replace(/ /g, '-');
  if (dashed in fields) return dashed;
  const alias = ATTRIBUTE_ALIASES[t];
  if (alias === 'encrypted' && kind === 'component') return 'encrypted-at-rest';
  if (alias === 'encrypted-at-rest' && kind === 'flow') return undefined;
  if (alias !== undefined && alias in fields) return alias;
  return undefined;
}

/** Parses a written value for an attribute and returns the edit (or why it is not valid). */
export function setValue(env: Env, element: string, attribute: string, raw: string): ParsedChange {
  const model = env.ctx.loaded.model;
  const kind = kindIn(model, element);
  if (!kind) return clarify(`There is no element '${element}' in the model.`);
  const spec = fieldOf(kind, attribute);
  if (!spec) {
    return clarify(
      `A ${kind} has no attribute '${attribute}' a what-if can set; valid: ${Object.keys(FIELDS[kind]).join(', ')}.`,
    );
  }
  const text = raw
    .trim()
    .replace(/^(?:now\s+|just\s+|only\s+)/, '')
    .replace(/\s+(?:instead|now|only)$/, '')
    .replace(/^["'`]|["'`]$/g, '');
  const list = () =>
    text
      .replace(/^\[|\]$/g, '')
      .split(/\s*(?:,|\band\b|\bor\b)\s*/)
      .map((x) => x.trim().replace(/^["'`]|["'`]$/g, ''))
      .filter(Boolean);
  let value: unknown;
  switch (spec.type) {
    case 'tri-state':
      if (/^(?:true|yes|on|enabled|encrypted|set|y)$/.test(text)) value = true;
      else if (/^(?:false|no|off|disabled|unencrypted|n|none)$/.test(text)) value = false;
      else if (/^(?:unknown|not known|unsure)$/.test(text)) value = 'unknown';
      else value = text;
      break;
    case 'integer': {
      const n = NUMBERS[text] ?? Number(text.replace(/\s*(?:replicas?|instances?|copies|nodes)$/, ''));
      value = Number.isFinite(n) ? n : text;
      break;
    }
    case 'enum': {
      const norm = text.replace(/\s+/g, '-');
      const byPhrase = attribute === 'authn' ? findPhrase(text, AUTHN_PHRASES)?.key : undefined;
      value = spec.values.includes(norm) ? norm : (byPhrase ?? text);
      if (attribute === 'exposure' && /^(?:private|internal only|internal-only|vpn only)$/.test(text))
        value = 'internal';
      if (attribute === 'credentials' && /^(?:short|temporary|ephemeral)/.test(text)) value = 'short-lived';
      if (attribute === 'credentials' && /^(?:long|static|permanent)/.test(text)) value = 'long-lived';
      break;
    }
    case 'enum-list': {
      value = list().map((x) => {
        const n = x.replace(/\s+/g, '-');
        if (spec.values.includes(n)) return n;
        const table = attribute === 'secrets-in' ? SECRET_PHRASES : CONTROL_PHRASES;
        return findPhrase(x, table)?.key ?? x;
      });
      if (/^(?:none|nothing|empty|\[\])$/.test(text)) value = [];
      break;
    }
    case 'ref': {
      const r = env.index.resolve(text, [spec.to]);
      value = r.status === 'found' ? r.entity.id : text;
      break;
    }
    case 'ref-list':
      value = /^(?:none|nothing|empty|\[\])$/.test(text)
        ? []
        : list().map((x) => {
            const r = env.index.resolve(x, [spec.to]);
            return r.status === 'found' ? r.entity.id : x;
          });
      break;
    case 'text-list':
      value = /^(?:none|nothing|empty|\[\])$/.test(text) ? [] : list();
      break;
    default:
      value = text;
  }
  return ok([{ op: 'set', element, attribute, value }]);
}
