/** The state carried from sentence to sentence: the draft, what was said last, and the section's subject. */
import type { Classification } from '../../model/vocabulary.js';
import type { Draft, DraftBoundary, DraftComponent, DraftFlow, Origin } from './draft.js';

export interface Quantified {
  /** Which components: every service-like one, or everything that is not a person or a third party. */
  who: 'services' | 'everything';
  boundary: DraftBoundary;
  file: string;
}

export interface Context {
  draft: Draft;
  origin: Origin;
  /** Sentence number (1-based, over all files). */
  sentence: number;
  /** Components mentioned recently, most recent first (for "the database", "the cluster"). */
  recent: DraftComponent[];
  /** The subject of the previous sentence ("it", "its"). */
  lastSubject: DraftComponent[];
  /** Every component of the previous sentence ("they", "both"). */
  lastMentioned: DraftComponent[];
  /** The subject the section, list item or table row is about, for sentences without one. */
  hint: DraftComponent[] | undefined;
  /** Flows of the previous sentence ("the connection", "this traffic"). */
  lastFlows: DraftFlow[];
  /** The most recent boundary of each kind. */
  lastBoundary: Map<string, DraftBoundary>;
  boundaryByKey: Map<string, DraftBoundary>;
  quantified: Quantified[];
  /** Data phrases the text defines ("heart-rate data counts as PHI"). */
  dataAliases: Map<string, Classification>;
  /** Statements "X is behind Y": resolved when the whole text is read. */
  firstSentenceOfFile: boolean;
}

export function touch(ctx: Context, c: DraftComponent): void {
  c.lastSeen = ctx.sentence;
  const i = ctx.recent.indexOf(c);
  if (i === 0) return;
  if (i > 0) ctx.recent.splice(i, 1);
  ctx.recent.unshift(c);
  if (ctx.recent.length > 64) ctx.recent.length = 64;
}
