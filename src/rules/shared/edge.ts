/**
 * The internet edge as the exposure rules see it: the chains by which internet traffic reaches a
 * component through pass-through components only (CDN, WAF, load balancer, gateway), the flows that
 * enter a component from that edge, and how a chain is written in a message.
 */
import { isPassThrough } from '../../model/queries.js';
import type { Component } from '../../model/schema.js';
import type { FlowFacts, View } from '../../model/view.js';
import { pathIds } from './paths.js';

/** Purposes that carry callers' requests (an absent purpose counts as user-traffic). */
export const REQUEST_PURPOSES: ReadonlySet<string> = new Set(['user-traffic', 'admin']);

/**
 * The chains by which internet traffic reaches `target`: a flow from an internet source, then only
 * pass-through components (CDN, WAF, load balancer, gateway). Only request traffic counts (purpose absent,
 * user-traffic or admin): a gateway shipping its logs or backups forwards no caller. A pass-through for
 * which `stop` holds ends the search there (it protects what is behind it). One shortest chain per
 * internet flow.
 */
export function edgeChains(view: View, target: string, stop: (c: Component) => boolean): FlowFacts[][] {
  const rest = new Map<string, FlowFacts[]>([[target, []]]);
  const chains: FlowFacts[][] = [];
  let frontier = [target];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const id of frontier) {
      const tail = rest.get(id) ?? [];
      for (const f of view.flowsTo(id)) {
        if (!REQUEST_PURPOSES.has(f.flow.purpose ?? 'user-traffic')) continue;
        if (f.fromInternet) chains.push([f, ...tail]);
        else if (isPassThrough(f.from) && !rest.has(f.from.id) && !stop(f.from)) {
          rest.set(f.from.id, [f, ...tail]);
          next.push(f.from.id);
        }
      }
    }
    frontier = next;
  }
  return chains;
}

/** "Shopper → CDN → Kibana": the display names along a chain. */
export function chainText(view: View, chain: readonly FlowFacts[]): string {
  return pathIds(chain)
    .map((id) => view.label(id))
    .join(' → ');
}

/** One way into a component from the internet edge. */
export interface InternetRoute {
  /** The last flow, into the component. */
  flow: FlowFacts;
  /** The flows from the internet source up to and including `flow`. */
  path: FlowFacts[];
  /** Where the route starts: the internet source. */
  source: Component;
  /** The pass-through components the route passes, in order. */
  hops: Component[];
}

/**
 * The routes into `c` from the internet: flows from an internet source or a pass-through component that
 * the edge chain reaches, none of them via vpn; each with a shortest such chain before it.
 */
export function internetRoutes(view: View, c: Component): InternetRoute[] {
  const edge = view.reachableVia(
    'edge-chain-not-via-vpn',
    (f) => (f.fromInternet || isPassThrough(f.from)) && f.flow.via !== 'vpn',
  );
  const routes: InternetRoute[] = [];
  for (const f of view.flowsTo(c.id)) {
    if (f.flow.via === 'vpn' || !(f.fromInternet || isPassThrough(f.from)) || !edge.has(f.from.id)) continue;
    const path = [...view.pathTo(edge, f.from.id), f];
    routes.push({ flow: f, path, source: path[0]?.from ?? f.from, hops: path.slice(1).map((x) => x.from) });
  }
  return routes;
}
