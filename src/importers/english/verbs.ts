/**
 * The verbs that state a relation between components, as data. The subject of an active verb is the
 * caller (`from`); prepositions decide which objects it reaches ("reads from X", "writes to Y",
 * "exports X from A to B"). Passive forms with "by" turn the direction round ("is called by X").
 */
import type { Action, FlowPurpose } from '../../model/vocabulary.js';
import { verbForms } from './words.js';

export type VerbRole =
  | 'call'
  | 'read'
  | 'write'
  | 'publish'
  | 'subscribe'
  | 'send'
  | 'copy'
  | 'auth'
  | 'front'
  | 'behind'
  | 'serve';

export interface VerbSense {
  role: VerbRole;
  actions?: readonly Action[];
  purpose?: FlowPurpose;
  /** Prepositions whose objects are reached (besides a direct object, when `direct`). */
  to: readonly string[];
  /** Prepositions whose objects are read from ("exports X from A to B": A). */
  from?: readonly string[];
  /** A component right after the verb is reached (calls X); for copy verbs it is read from. */
  direct: boolean;
  /** Words that must follow the verb at once ("talks to", "backs up"). */
  particle?: readonly string[];
}

interface VerbRow {
  forms: string[];
  sense: VerbSense;
}

const CALL: VerbSense = { role: 'call', to: ['to', 'with', 'into', 'on', 'at'], direct: true };
const ROUTE: VerbSense = { role: 'call', to: ['to', 'into', 'on'], direct: true };
const READ: VerbSense = { role: 'read', actions: ['read'], to: ['from', 'in', 'on', 'at'], direct: true };
const READ_FROM: VerbSense = { role: 'read', actions: ['read'], to: ['from', 'on', 'in'], direct: false };
const WRITE: VerbSense = {
  role: 'write',
  actions: ['write'],
  to: ['to', 'into', 'in', 'on', 'onto'],
  direct: true,
};
const WRITE_TO: VerbSense = {
  role: 'write',
  actions: ['write'],
  to: ['to', 'into', 'in', 'on', 'onto'],
  direct: false,
};
const PUBLISH: VerbSense = {
  role: 'publish',
  actions: ['publish'],
  to: ['to', 'on', 'onto', 'into', 'in'],
  direct: false,
};
const SUBSCRIBE: VerbSense = {
  role: 'subscribe',
  actions: ['subscribe'],
  to: ['from', 'to', 'on'],
  direct: true,
};
const SEND: VerbSense = { role: 'send', to: ['to', 'through', 'via', 'into', 'on'], direct: false };
const row = (forms: string[], sense: VerbSense): VerbRow => ({ forms, sense });

/** Each row: the verb's forms and what it means. Phrasal verbs list their particle. */
const ROWS: VerbRow[] = [
  row(verbForms('call'), CALL),
  row(verbForms('invoke'), { ...CALL, actions: ['invoke'] }),
  row(verbForms('trigger'), { ...CALL, actions: ['invoke'] }),
  row(verbForms('talk'), { ...CALL, direct: false, particle: ['to', 'with'] }),
  row(verbForms('connect'), { ...CALL, direct: false, particle: ['to', 'with'] }),
  row(verbForms('communicate'), { ...CALL, direct: false, particle: ['with'] }),
  row(verbForms('integrate'), { ...CALL, direct: false, particle: ['with'] }),
  row(verbForms('chat'), { ...CALL, direct: false, particle: ['with'] }),
  row(verbForms('speak', 'spoke'), { ...CALL, direct: false, particle: ['to', 'with'] }),
  row(verbForms('depend'), { ...CALL, direct: false, particle: ['on'] }),
  row(verbForms('use'), { ...CALL, to: ['to'] }),
  row(verbForms('hit'), CALL),
  row(verbForms('reach'), { ...CALL, to: ['to'] }),
  row(verbForms('access'), CALL),
  row(verbForms('open'), { ...CALL, to: ['in', 'on'] }),
  row(verbForms('visit'), CALL),
  row(verbForms('browse'), CALL),
  row(verbForms('request'), { ...CALL, to: ['from'] }),
  row(verbForms('go', 'goes', 'went', 'gone'), {
    ...ROUTE,
    direct: false,
    particle: ['to', 'through', 'via'],
  }),
  row(verbForms('forward'), ROUTE),
  row(verbForms('route'), ROUTE),
  row(verbForms('proxy'), ROUTE),
  row(verbForms('pass'), { ...ROUTE, to: ['to', 'through'] }),
  row(verbForms('hand'), { ...ROUTE, direct: false }),
  row(verbForms('redirect'), ROUTE),
  row(verbForms('direct'), { ...ROUTE, direct: false }),
  row(verbForms('manage'), { ...CALL, actions: ['admin'], purpose: 'admin' }),
  row(verbForms('administer'), { ...CALL, actions: ['admin'], purpose: 'admin' }),
  row(verbForms('query'), { ...READ, role: 'read' }),
  row(verbForms('read', 'read'), READ_FROM),
  row(verbForms('retrieve'), READ_FROM),
  row(verbForms('fetch'), READ_FROM),
  row(verbForms('get', 'got', 'gets', 'gotten'), READ_FROM),
  row(verbForms('pull'), READ_FROM),
  row(verbForms('download'), READ_FROM),
  row(verbForms('poll'), READ),
  row(verbForms('scan'), READ),
  row(verbForms('look'), { ...READ_FROM, particle: ['up'], to: ['in', 'from'] }),
  row(verbForms('load'), { ...READ_FROM, to: ['from'], from: [] }),
  row(verbForms('write', 'wrote', 'written'), WRITE_TO),
  row(verbForms('store'), WRITE_TO),
  row(verbForms('save'), WRITE_TO),
  row(verbForms('put', 'put'), WRITE_TO),
  row(verbForms('keep', 'kept'), { ...WRITE_TO, to: ['in'] }),
  row(verbForms('persist'), WRITE_TO),
  row(verbForms('insert'), WRITE_TO),
  row(verbForms('upload'), WRITE_TO),
  row(verbForms('push'), WRITE_TO),
  row(verbForms('cache'), { ...WRITE_TO, actions: ['read', 'write'] }),
  row(verbForms('update'), WRITE),
  row(verbForms('delete'), { ...WRITE, actions: ['delete'] }),
  row(verbForms('publish'), PUBLISH),
  row(verbForms('emit'), PUBLISH),
  row(verbForms('produce'), PUBLISH),
  row(verbForms('enqueue'), PUBLISH),
  row(verbForms('post'), { ...PUBLISH, role: 'send', actions: ['write'] }),
  row(verbForms('consume'), SUBSCRIBE),
  row(verbForms('subscribe'), { ...SUBSCRIBE, direct: false }),
  row(verbForms('listen'), { ...SUBSCRIBE, direct: false }),
  row(verbForms('dequeue'), SUBSCRIBE),
  row(verbForms('send', 'sent'), SEND),
  row(verbForms('deliver'), SEND),
  row(verbForms('notify'), { ...SEND, direct: true }),
  row(verbForms('e-mail'), { ...SEND, direct: true }),
  row(verbForms('email'), { ...SEND, direct: true }),
  row(verbForms('ship', 'shipped', 'shipping'), { ...SEND, actions: ['write'], purpose: 'telemetry' }),
  row(verbForms('log', 'logged', 'logging'), { ...SEND, actions: ['write'], purpose: 'telemetry' }),
  row(verbForms('stream'), { ...SEND, actions: ['write'], purpose: 'telemetry' }),
  row(verbForms('replicate'), {
    role: 'copy',
    actions: ['write'],
    purpose: 'replication',
    to: ['to', 'into'],
    from: ['from'],
    direct: true,
  }),
  row(verbForms('geo-replicate'), {
    role: 'copy',
    actions: ['write'],
    purpose: 'replication',
    to: ['to', 'into'],
    from: ['from'],
    direct: true,
  }),
  row(verbForms('mirror'), {
    role: 'copy',
    actions: ['write'],
    purpose: 'replication',
    to: ['to', 'into'],
    from: ['from'],
    direct: true,
  }),
  row(verbForms('back'), {
    role: 'copy',
    actions: ['write'],
    purpose: 'backup',
    to: ['to', 'into'],
    from: ['from'],
    direct: true,
    particle: ['up'],
  }),
  row(verbForms('snapshot'), {
    role: 'copy',
    actions: ['write'],
    purpose: 'backup',
    to: ['to', 'into'],
    from: ['from'],
    direct: true,
  }),
  row(verbForms('export'), {
    role: 'copy',
    actions: ['write'],
    purpose: 'batch',
    to: ['to', 'into'],
    from: ['from'],
    direct: true,
  }),
  row(verbForms('import'), {
    role: 'copy',
    actions: ['write'],
    purpose: 'batch',
    to: ['into', 'to'],
    from: ['from'],
    direct: true,
  }),
  row(verbForms('copy'), {
    role: 'copy',
    actions: ['write'],
    purpose: 'batch',
    to: ['to', 'into'],
    from: ['from'],
    direct: true,
  }),
  row(verbForms('sync'), {
    role: 'copy',
    actions: ['write'],
    purpose: 'batch',
    to: ['to', 'into', 'with'],
    from: ['from'],
    direct: true,
  }),
  row(verbForms('synchronise'), {
    role: 'copy',
    actions: ['write'],
    purpose: 'batch',
    to: ['to', 'into', 'with'],
    from: ['from'],
    direct: true,
  }),
  row(verbForms('synchronize'), {
    role: 'copy',
    actions: ['write'],
    purpose: 'batch',
    to: ['to', 'into', 'with'],
    from: ['from'],
    direct: true,
  }),
  row(verbForms('deploy'), {
    role: 'write',
    actions: ['write'],
    purpose: 'deploy',
    to: ['to', 'into', 'on', 'onto'],
    direct: false,
  }),
  row(verbForms('release'), {
    role: 'write',
    actions: ['write'],
    purpose: 'deploy',
    to: ['to', 'into', 'on'],
    direct: false,
  }),
  row(verbForms('sign'), {
    role: 'auth',
    to: ['with', 'through', 'via', 'to', 'into', 'using', 'at'],
    direct: false,
    particle: ['in', 'on', 'up'],
  }),
  row(verbForms('log'), {
    role: 'auth',
    to: ['with', 'through', 'via', 'to', 'into', 'using', 'at'],
    direct: false,
    particle: ['in', 'on'],
  }),
  row(verbForms('authenticate'), {
    role: 'auth',
    to: ['against', 'with', 'through', 'via', 'to', 'using', 'at'],
    direct: false,
  }),
  row(verbForms('federate'), { role: 'auth', to: ['with', 'to'], direct: false }),
  row(verbForms('front'), { role: 'front', to: [], direct: true }),
  row(verbForms('protect'), { role: 'front', to: [], direct: true }),
  row(verbForms('serve', 'served'), { role: 'serve', to: ['through', 'via', 'by', 'from'], direct: true }),
];

const INDEX = new Map<string, VerbSense[]>();
for (const r of ROWS) {
  for (const f of r.forms) {
    const list = INDEX.get(f) ?? [];
    list.push(r.sense);
    INDEX.set(f, list);
  }
}

/** The senses a word may have as a relation verb (phrasal senses first). */
export function verbSenses(word: string): readonly VerbSense[] {
  return INDEX.get(word) ?? [];
}

/** Past participles used in passives ("is called by"). */
export function isParticiple(word: string): boolean {
  return /(?:ed|en|wn|ut|ead|ent|ept|ld)$/.test(word) || word === 'run' || word === 'hit' || word === 'read';
}

/** Other verbs: they end a noun phrase but state no relation. */
export const OTHER_VERBS: ReadonlySet<string> = new Set(
  [
    'run',
    'sit',
    'live',
    'hold',
    'contain',
    'include',
    'provide',
    'expose',
    'build',
    'handle',
    'host',
    'own',
    'check',
    'validate',
    'verify',
    'enforce',
    'apply',
    'require',
    'accept',
    'allow',
    'trust',
    'assume',
    'rely',
    'count',
    'bind',
    'need',
    'grant',
    'give',
    'attach',
    'create',
    'process',
    'execute',
    'schedule',
    'receive',
    'terminate',
    'rotate',
    'mount',
    'bake',
    'hardcode',
    'configure',
    'support',
    'act',
    'issue',
    'capture',
    'promote',
    'page',
    'point',
    'carry',
    'join',
    'book',
    'show',
    'render',
    'refresh',
    'let',
    'make',
    'lack',
    'reside',
    'stay',
    'remain',
    'become',
    'seem',
    'belong',
    'respond',
    'return',
    'reply',
    'encrypt',
    'decrypt',
    'restrict',
    'limit',
    'throttle',
    'monitor',
    'rate',
    'see',
    'know',
    'think',
    'set',
    'keep',
    'want',
    'plan',
    'answer',
    'explain',
    'describe',
    'review',
    'match',
    'update',
    'submit',
    'integrate',
    'enable',
    'disable',
    'authorize',
    'authorise',
    'approve',
    'mask',
    'generate',
  ].flatMap((v) =>
    verbForms(
      v,
      ...(v === 'run'
        ? ['ran']
        : v === 'hold'
          ? ['held']
          : v === 'build'
            ? ['built']
            : v === 'give'
              ? ['gave', 'given']
              : v === 'bind'
                ? ['bound']
                : v === 'make'
                  ? ['made']
                  : v === 'sit'
                    ? ['sat']
                    : v === 'see'
                      ? ['saw', 'seen']
                      : v === 'know'
                        ? ['knew', 'known']
                        : v === 'think'
                          ? ['thought']
                          : v === 'keep'
                            ? ['kept']
                            : v === 'set'
                              ? ['set']
                              : []),
    ),
  ),
);

export function isVerbWord(word: string): boolean {
  return INDEX.has(word) || OTHER_VERBS.has(word);
}
