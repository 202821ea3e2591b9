package org.sundials4j.ensemble;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What an ensemble run produced: one result per member in input order, the members that failed, and
 * (when a {@link Summand} was given) the sum over the members that succeeded, added up in the fixed
 * order of {@link TreeSum} whatever the thread count. Immutable.
 */
public final class EnsembleResult<R> {
    private final List<R> results;
    private final List<MemberFailure> failures;
    private final double[] sum;
    private final int summed;
    private final long wallNanos;

    /**
     * @param results  one per member, null where the member failed
     * @param failures ascending by index
     * @param sum      the sum over the succeeded members, or null (no summand, or none succeeded)
     */
    EnsembleResult(List<R> results, List<MemberFailure> failures, double[] sum, int summed, long wallNanos) {
        this.results = Collections.unmodifiableList(new ArrayList<>(results));
        this.failures = List.copyOf(failures);
        this.sum = sum;
        this.summed = summed;
        this.wallNanos = wallNanos;
    }

    /** The number of members. */
    public int size() {
        return results.size();
    }

    /**
     * Member {@code index}'s result.
     *
     * @throws EnsembleException naming the member when it failed
     */
    public R get(int index) {
        if (index < 0 || index >= results.size())
            throw new IndexOutOfBoundsException("member index " + index + " is outside [0, " + results.size() + ")");
        R r = results.get(index);
        if (r == null)
            for (MemberFailure f : failures)
                if (f.index() == index) throw new EnsembleException(List.of(f));
        return r;
    }

    /** Every member's result in input order; null where the member failed. Unmodifiable. */
    public List<R> results() {
        return results;
    }

    /** The failed members, ascending by index (empty when all succeeded). */
    public List<MemberFailure> failures() {
        return failures;
    }

    public boolean allSucceeded() {
        return failures.isEmpty();
    }

    /** This result, or an {@link EnsembleException} naming every failed member. */
    public EnsembleResult<R> orThrow() {
        if (!failures.isEmpty()) throw new EnsembleException(failures);
        return this;
    }

    /**
     * The sum of the succeeded members' {@link Summand} vectors (a new array); null when the run had
     * no summand or no member succeeded.
     */
    public double[] sum() {
        return sum == null ? null : sum.clone();
    }

    /** How many members the sum holds. */
    public int summed() {
        return summed;
    }

    /** Wall time of the run, from the first member handed out to the last one finished. */
    public long wallNanos() {
        return wallNanos;
    }
}
