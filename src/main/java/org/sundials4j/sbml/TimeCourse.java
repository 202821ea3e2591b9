package org.sundials4j.sbml;

import java.util.List;
import org.sundials4j.ode.EventRecord;
import org.sundials4j.ode.SolverStatistics;

/**
 * A simulated time course: {@code values[k][j]} is variable {@code j} at {@code times[k]}.
 * Statistics are those of the CVODES solve, or null when the model has no state to integrate;
 * {@code events} are the solve's event rounds: an SBML event's trigger turning true or false (named
 * by the event's id, direction +1 or -1), a delayed execution coming due ({@code "<id> (delayed)"}),
 * and the round at {@code t0} ({@code "events at t0"}), in which the events at each instant were
 * resolved as {@code SbmlEvents} describes.
 */
public record TimeCourse(double[] times, List<Variable> variables, double[][] values, SolverStatistics statistics,
                         List<EventRecord> events) {
    /** The column of one variable. */
    public double[] column(String id) {
        for (int j = 0; j < variables.size(); j++)
            if (variables.get(j).id().equals(id)) {
                double[] c = new double[times.length];
                for (int k = 0; k < times.length; k++) c[k] = values[k][j];
                return c;
            }
        throw new IllegalArgumentException("variable '" + id + "' is not in this time course " + variables);
    }
}
