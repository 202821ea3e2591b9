package org.sundials4j.ensemble;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * The sum of one vector per member, over members {@code 0..size-1}, in a fixed pairwise order that
 * does not depend on the order in which vectors arrive or on how partial sums are merged.
 *
 * <p><b>The order.</b> Members are the leaves of a binary tree over their index: node {@code (L, j)}
 * covers indices {@code [j·2^L, (j+1)·2^L) ∩ [0, size)}, and its value is
 * {@code left + right} (element-wise, the lower indices on the left) of its two children
 * {@code (L-1, 2j)} and {@code (L-1, 2j+1)}. A child that covers no index, or only failed members
 * ({@link #skip}), is left out: the node takes the other child's value unchanged. The sum is the
 * root's value. This is pairwise summation, so the rounding error grows with {@code log2(size)},
 * not with {@code size}.
 *
 * <p><b>Why any order gives the same bits.</b> A node is added up exactly once, when both of its
 * children are known, and only from them. So each thread, or each Spark partition, may sum any subset
 * of members and the partial sums may be {@link #merge}d in any order and grouping: every node,
 * and therefore the root, gets the same value, to the last bit. (Floating-point addition is
 * commutative; it is the grouping that the tree fixes.)
 *
 * <p>Not thread-safe: give each thread its own instance and merge them. Serializable, so partial
 * sums can travel between machines (the Spark module aggregates these).
 */
public final class TreeSum implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int size;
    /** The level of the root: the smallest {@code H} with {@code 2^H >= size}. */
    private final int rootLevel;
    /** Nodes whose parent is not known yet, by {@link #key}. */
    private final Map<Long, Node> pending = new HashMap<>();
    private int dimension = -1;
    private int covered;
    private int summed;

    /** One known node: its sum, or null when every member below it failed. */
    private record Node(double[] sum) implements Serializable {
    }

    /** An empty sum over members {@code 0..size-1} ({@code size >= 0}). */
    public TreeSum(int size) {
        if (size < 0) throw new IllegalArgumentException("size = " + size + " < 0");
        this.size = size;
        this.rootLevel = size <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(size - 1);
    }

    /** The number of members this sum runs over. */
    public int size() {
        return size;
    }

    /** Adds member {@code index}'s vector (copied); every member's vector has the same length. */
    public void add(int index, double[] vector) {
        checkIndex(index);
        if (vector == null) throw new IllegalArgumentException("vector of member " + index + " is null");
        if (dimension < 0) dimension = vector.length;
        else if (vector.length != dimension)
            throw new IllegalArgumentException("vector of member " + index + " has length " + vector.length
                    + ", the others " + dimension);
        insert(0, index, new Node(vector.clone()));
        covered++;
        summed++;
    }

    /** Marks member {@code index} as failed: it is left out of the sum. */
    public void skip(int index) {
        checkIndex(index);
        insert(0, index, new Node(null));
        covered++;
    }

    /**
     * Adds everything {@code other} holds (it is left unchanged). The two must cover disjoint members
     * of the same size.
     */
    public void merge(TreeSum other) {
        if (other.size != size)
            throw new IllegalArgumentException("cannot merge a sum over " + other.size + " members into one over " + size);
        if (other.dimension >= 0) {
            if (dimension < 0) dimension = other.dimension;
            else if (other.dimension != dimension)
                throw new IllegalArgumentException("cannot merge vectors of length " + other.dimension + " into " + dimension);
        }
        for (Map.Entry<Long, Node> e : other.pending.entrySet()) {
            long k = e.getKey();
            double[] s = e.getValue().sum;
            insert((int) (k >>> 32), (int) k, new Node(s == null ? null : s.clone()));
        }
        covered += other.covered;
        summed += other.summed;
        if (covered > size) throw new IllegalArgumentException("merged sums overlap: " + covered + " members covered of " + size);
    }

    /** Members added or skipped so far. */
    public int covered() {
        return covered;
    }

    /** Members whose vectors are in the sum so far (added, not skipped). */
    public int summed() {
        return summed;
    }

    /** Whether every member was added or skipped. */
    public boolean isComplete() {
        return covered == size;
    }

    /**
     * The sum (a new array), or null when no member was added (every member failed, or
     * {@code size == 0}).
     *
     * @throws IllegalStateException when some member was neither added nor skipped
     */
    public double[] result() {
        if (!isComplete())
            throw new IllegalStateException("the sum is incomplete: " + covered + " of " + size + " members covered");
        if (size == 0) return null;
        Node root = pending.get(key(rootLevel, 0));
        if (root == null) throw new IllegalStateException("merged sums overlapped: some member was counted twice");
        return root.sum == null ? null : root.sum.clone();
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= size)
            throw new IllegalArgumentException("member index " + index + " is outside [0, " + size + ")");
    }

    /**
     * Places a node and adds up every ancestor whose children are now both known. A node whose
     * sibling covers no member moves up alone.
     */
    private void insert(int level, int position, Node node) {
        for (int l = level + 1, p = position >>> 1; l <= rootLevel; l++, p >>>= 1)
            if (pending.containsKey(key(l, p))) throw duplicate(level, position);
        while (level < rootLevel) {
            int sibling = position ^ 1;
            Node other;
            if ((long) sibling << level >= size) {
                other = new Node(null); // covers no member
            } else {
                other = pending.remove(key(level, sibling));
                if (other == null) break;
            }
            node = (position & 1) == 0 ? combine(node, other) : combine(other, node);
            level++;
            position >>>= 1;
        }
        if (pending.putIfAbsent(key(level, position), node) != null) throw duplicate(level, position);
    }

    private static Node combine(Node left, Node right) {
        if (left.sum == null) return right;
        if (right.sum == null) return left;
        double[] s = left.sum;
        for (int i = 0; i < s.length; i++) s[i] += right.sum[i];
        return left;
    }

    private IllegalArgumentException duplicate(int level, int position) {
        long first = (long) position << level;
        long last = Math.min(size, (long) (position + 1) << level) - 1;
        return new IllegalArgumentException(first == last ? "member " + first + " was given twice"
                : "members " + first + ".." + last + " overlap members given before");
    }

    private static long key(int level, int position) {
        return (long) level << 32 | (position & 0xffffffffL);
    }
}
