package org.sundials4j.ode;

import java.util.Objects;

/**
 * The linear solver for CVODES' Newton iterations, with the matrix it needs. Immutable.
 *
 * <ul>
 *   <li>{@link #dense()}, {@link #lapackDense()}: dense LU (SUNDIALS' own or LAPACK/OpenBLAS).
 *   <li>{@link #band(int, int)}, {@link #lapackBand(int, int)}: banded LU with upper/lower bandwidths.
 *   <li>{@link #klu(SparsityPattern)}: sparse LU (SuiteSparse KLU); needs the Jacobian's pattern and
 *       a model that supplies the Jacobian. {@link #klu()} takes the pattern from the model.
 *   <li>{@link #gmres(int)}: matrix-free GMRES with difference-quotient Jacobian-vector products.
 *   <li>{@link #auto()}: chosen from the model's structural sparsity when it knows it (see
 *       {@link #resolve}), dense otherwise.
 * </ul>
 */
public final class LinearSolver {
    /** The kinds of linear solver. */
    public enum Kind { DENSE, LAPACK_DENSE, BAND, LAPACK_BAND, KLU, GMRES, AUTO }

    private final Kind kind;
    private final int upper;
    private final int lower;
    private final SparsityPattern pattern;
    private final int krylovDim;

    private LinearSolver(Kind kind, int upper, int lower, SparsityPattern pattern, int krylovDim) {
        this.kind = kind;
        this.upper = upper;
        this.lower = lower;
        this.pattern = pattern;
        this.krylovDim = krylovDim;
    }

    public static LinearSolver dense() { return new LinearSolver(Kind.DENSE, 0, 0, null, 0); }
    public static LinearSolver lapackDense() { return new LinearSolver(Kind.LAPACK_DENSE, 0, 0, null, 0); }
    public static LinearSolver band(int upper, int lower) { return banded(Kind.BAND, upper, lower); }
    public static LinearSolver lapackBand(int upper, int lower) { return banded(Kind.LAPACK_BAND, upper, lower); }
    public static LinearSolver klu() { return new LinearSolver(Kind.KLU, 0, 0, null, 0); }
    public static LinearSolver klu(SparsityPattern pattern) {
        return new LinearSolver(Kind.KLU, 0, 0, Objects.requireNonNull(pattern, "pattern"), 0);
    }
    /** GMRES with SUNDIALS' default Krylov dimension (5). */
    public static LinearSolver gmres() { return gmres(0); }
    /** GMRES with Krylov subspace dimension {@code maxl} (0 = SUNDIALS' default). */
    public static LinearSolver gmres(int maxl) {
        if (maxl < 0) throw new IllegalArgumentException("gmres maxl must be >= 0, got " + maxl);
        return new LinearSolver(Kind.GMRES, 0, 0, null, maxl);
    }
    public static LinearSolver auto() { return new LinearSolver(Kind.AUTO, 0, 0, null, 0); }

    private static LinearSolver banded(Kind kind, int upper, int lower) {
        if (upper < 0) throw new IllegalArgumentException("band upper bandwidth must be >= 0, got " + upper);
        if (lower < 0) throw new IllegalArgumentException("band lower bandwidth must be >= 0, got " + lower);
        return new LinearSolver(kind, upper, lower, null, 0);
    }

    public Kind kind() { return kind; }
    public int upperBandwidth() { return upper; }
    public int lowerBandwidth() { return lower; }
    /** The KLU pattern given at construction, or null (then the model's pattern is used). */
    public SparsityPattern pattern() { return pattern; }
    public int krylovDimension() { return krylovDim; }

    /**
     * Resolves {@link Kind#AUTO} and a pattern-less KLU against a model. The AUTO rule: without a
     * known pattern, dense; with a pattern whose band (upper + lower + 1) is at most a quarter of n,
     * band; otherwise, if the model supplies its Jacobian, the pattern fills at most a tenth of the
     * matrix and n &gt;= 64, KLU; else dense.
     */
    LinearSolver resolve(OdeModel model) {
        int n = model.stateCount();
        if (kind == Kind.KLU && pattern == null) {
            SparsityPattern p = model.sparsity();
            if (p == null)
                throw new IllegalArgumentException("klu() without a pattern needs a model that knows its sparsity; pass LinearSolver.klu(pattern)");
            return klu(p);
        }
        if (kind != Kind.AUTO) return this;
        SparsityPattern p = model.sparsity();
        if (p == null) return dense();
        int mu = p.upperBandwidth(), ml = p.lowerBandwidth();
        if (4L * (mu + ml + 1) <= n) return band(mu, ml);
        // KLU cannot build its matrix from difference quotients: only with a model Jacobian.
        if (model.hasJacobian() && n >= 64 && 10L * p.nonZeros() <= (long) n * n) return klu(p);
        return dense();
    }

    @Override
    public String toString() {
        return switch (kind) {
            case BAND, LAPACK_BAND -> kind + "(upper=" + upper + ", lower=" + lower + ")";
            case KLU -> kind + (pattern == null ? "(model pattern)" : "(" + pattern + ")");
            case GMRES -> kind + "(maxl=" + krylovDim + ")";
            default -> kind.toString();
        };
    }
}
