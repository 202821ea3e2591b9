package org.sundials4j.ode;

/**
 * One event that fired during a solve, as listed by {@link Solution#events()}.
 *
 * @param time      when it fired: the located root, or the scheduled time
 * @param event     its index in the model's {@link OdeModel#events()} list
 * @param name      its name
 * @param direction +1 when its trigger crossed zero upwards, -1 downwards, 0 for a scheduled event
 */
public record EventRecord(double time, int event, String name, int direction) {
}
