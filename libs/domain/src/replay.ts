/**
 * Replay for auditors: fold any stream with the domain's own `evolve`, keeping every step, so
 * one can see what the rules made of each event. Nothing here trusts the stream: an event of
 * another category, or one a decider could not have written there, stops the replay with an
 * EventOutOfPlaceError that names it.
 */
import type { DomainEvent } from './events';
import { EventOutOfPlaceError } from './event-out-of-place';
import { deciderFor, streamCategoriesOf, type StreamCategory } from './streams';

export interface ReplayStep {
  readonly event: DomainEvent;
  /** The state after this event. */
  readonly state: unknown;
}

/** A decider seen only as a fold over any of the domain's events (safe once the category is checked). */
interface Evolver {
  readonly initialState: unknown;
  evolve(state: unknown, event: DomainEvent): unknown;
}

export function replaySteps(category: StreamCategory, events: readonly DomainEvent[]): readonly ReplayStep[] {
  const decider = deciderFor(category) as unknown as Evolver;
  let state = decider.initialState;
  return events.map((event) => {
    // Raw events reach here from storage, so an unknown type is possible despite the static type.
    const belongsTo = streamCategoriesOf(String(event.type));
    if (belongsTo.length === 0) throw new EventOutOfPlaceError(String(event.type), 'it is not an event of this domain');
    if (!belongsTo.includes(category)) throw new EventOutOfPlaceError(event.type, `it belongs to ${belongsTo.join(' or ')} streams, not to ${category} streams`);
    state = decider.evolve(state, event);
    return { event, state };
  });
}
