package org.sundials4j.spark;

import java.io.Serializable;

/**
 * One member's vector to sum (for a gradient, {@code GradientSum.pack}: the loss, then the gradient),
 * computed on an executor with the task's worker. An exception fails this member alone.
 *
 * @param <W> the worker type
 * @param <M> what the RDD holds for a member (its inputs, or just its index)
 */
@FunctionalInterface
public interface MemberVector<W, M> extends Serializable {
    double[] apply(W worker, int index, M member) throws Exception;
}
