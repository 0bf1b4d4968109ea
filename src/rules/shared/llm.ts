/**
 * LLM helpers shared by the LLM rules (llm-prompt-injection, llm-excessive-agency, llm-unaudited-actions):
 * the actions by which an LLM acts on other systems, and the stores through which outsiders can put
 * text in front of it.
 */
import { dataReaches, isThirdParty } from '../../model/queries.js';
import type { Component } from '../../model/schema.js';
import type { FlowFacts, View } from '../../model/view.js';

/** Actions by which an LLM changes or triggers something: write, delete, admin, invoke, publish. */
export const ACTING_ACTIONS: ReadonlySet<string> = new Set(['write', 'delete', 'admin', 'invoke', 'publish']);

/** The flows from the LLM that act on their target (some action in ACTING_ACTIONS). */
export function actingFlows(view: View, llm: Component): FlowFacts[] {
  return view.flowsFrom(llm.id).filter((f) => (f.flow.actions ?? []).some((a) => ACTING_ACTIONS.has(a)));
}

/** A store the LLM reads from (`read`) and the writes into it by outsiders (`writes`). */
export interface OutsiderWrittenSource {
  read: FlowFacts;
  writes: FlowFacts[];
}

/**
 * Stores the LLM reads from that outsiders can write to: a flow from the LLM whose data travels back
 * to it, to a component that receives write or publish flows from internet-reachable or third-party
 * components (indirect prompt injection through documents, tickets, messages, web pages).
 */
export function outsiderWrittenSources(view: View, llm: Component): OutsiderWrittenSource[] {
  const found: OutsiderWrittenSource[] = [];
  for (const read of view.flowsFrom(llm.id)) {
    if (!dataReaches(read.flow, 'from')) continue;
    const writes = view
      .flowsTo(read.to.id)
      .filter(
        (w) =>
          w.from.id !== llm.id &&
          (w.flow.actions ?? []).some((a) => a === 'write' || a === 'publish') &&
          (view.isInternetReachable(w.from.id) || isThirdParty(view, w.from)),
      );
    if (writes.length > 0) found.push({ read, writes });
  }
  return found;
}
