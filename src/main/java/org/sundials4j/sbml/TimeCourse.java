package org.sundials4j.sbml;

import java.util.List;
import org.sundials4j.ode.EventRecord;
import org.sundials4j.ode.SolverStatistics;

/**
 * A simulated time course: {@code values[k][j]} is variable {@code j} at {@code times[k]}.
 * Statistics are those of the CVODES solve, or null when the model has no state to integrate;
 * {@code events} are the SBML events that fired (named by their ids; one fired at {@code t0} because
 * its trigger held there with {@code initialValue="false"} is named {@code "<id> at t0"}, and is
 * listed whether or not its trigger held).
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
