package org.sundials4j.ode;

/**
 * Receives entries of the Jacobian {@code df/dy}; indices are 0-based. The solver zeroes the matrix
 * before handing it out, so only nonzeros need writing. Writing outside the matrix's structure
 * (outside the band, or not in the sparsity pattern) throws {@link IllegalArgumentException}.
 */
@FunctionalInterface
public interface JacobianWriter {
    void set(int row, int col, double value);
}
