package org.sundials4j.ensemble;

/**
 * What a member's result contributes to the ensemble's sum: a vector of the same length for every
 * member (for a gradient: the loss, then the gradient entries).
 */
@FunctionalInterface
public interface Summand<R> {
    double[] vector(R result);
}
