import type { Standin, StandinModule } from '../core/standin';
import { pubsubKnobRoutes } from './knobs';
import { pubsubRoutes } from './routes';
import { PUBSUB_SLICE, PubsubState } from './state';

/** The state a stand-in had before its reset (reset clears the slices first): its waiting pulls and timers end. */
const previous = new WeakMap<Standin, PubsubState>();

/** Cloud Pub/Sub v1 (what Gmail push notifications need) and its knobs; Gmail's watch/stop live in gmail/watch.ts. */
export const pubsubModule: StandinModule = {
	name: PUBSUB_SLICE,
	seed(s) {
		previous.get(s)?.close();
		const st = new PubsubState(() => s.tokens.now());
		previous.set(s, st);
		s.slices.set(PUBSUB_SLICE, st);
	},
	routes: (s) => [...pubsubRoutes(s), ...pubsubKnobRoutes()],
};
