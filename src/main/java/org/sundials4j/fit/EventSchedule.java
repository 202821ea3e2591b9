package org.sundials4j.fit;

import java.util.List;
import org.sundials4j.ode.Event;

/**
 * An experiment's events (dose schedule, switches), made for the model as the likelihood sees it:
 * {@code stateCount} states and {@code parameterCount} parameters (the model's, then any estimated σ,
 * so a tape event written for the model's own parameters reads them at the same indices).
 *
 * <pre>{@code
 * EventSchedule doses = (n, np) -> List.of(TapeEvents.at("dose", new double[] {0, 12}, n, np,
 *         (tape, t, y, p) -> new Var[] {y.get(0).plus(p.get(3).times(100)), y.get(1)}));
 * }</pre>
 */
@FunctionalInterface
public interface EventSchedule {
    List<Event> events(int stateCount, int parameterCount);
}
