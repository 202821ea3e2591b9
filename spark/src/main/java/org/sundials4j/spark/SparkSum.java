package org.sundials4j.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.sundials4j.ensemble.MemberFailure;
import org.sundials4j.ensemble.TreeSum;

/**
 * A partial or complete sum of member vectors travelling through Spark's tree aggregation: the
 * library's {@link TreeSum} (fixed pairwise order over the member index, so any merge order gives
 * the same bits) plus the failed members seen so far.
 */
public final class SparkSum implements Serializable {
    private static final long serialVersionUID = 1L;
    private final TreeSum sum;
    private final ArrayList<MemberFailure> failures = new ArrayList<>();

    SparkSum(int size) {
        this.sum = new TreeSum(size);
    }

    void add(int index, double[] vector) {
        sum.add(index, vector);
    }

    void fail(MemberFailure failure) {
        sum.skip(failure.index());
        failures.add(failure);
    }

    /** Adds {@code other} into this one (Spark's seqOp and combOp); returns this. */
    SparkSum merge(SparkSum other) {
        sum.merge(other.sum);
        failures.addAll(other.failures);
        return this;
    }

    /** The number of members. */
    public int size() {
        return sum.size();
    }

    /** The sum over the members that succeeded (a new array), or null when none did. */
    public double[] sum() {
        return sum.result();
    }

    /** How many members the sum holds. */
    public int summed() {
        return sum.summed();
    }

    /** The failed members, ascending by index. */
    public List<MemberFailure> failures() {
        List<MemberFailure> f = new ArrayList<>(failures);
        f.sort(Comparator.comparingInt(MemberFailure::index));
        return f;
    }
}
