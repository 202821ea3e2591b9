package org.sundials4j.bench.compare;

/**
 * What one run of a contender produced. {@code answer} is the final state for a solve and
 * {@code [dL/dp, dL/dy0]} for a gradient; null when the run did not finish.
 */
record Outcome(boolean finished, String failure, double[] answer, double loss, long steps, long rhsEvals) {

    static Outcome done(double[] answer, double loss, long steps, long rhsEvals) {
        return new Outcome(true, null, answer, loss, steps, rhsEvals);
    }

    static Outcome failed(String why, long steps, long rhsEvals) {
        return new Outcome(false, why, null, Double.NaN, steps, rhsEvals);
    }
}
