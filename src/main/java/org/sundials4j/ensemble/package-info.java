/**
 * Many solves, losses or gradients at once, on every core: parameter sweeps, virtual populations
 * (a gradient per subject), multi-experiment objectives, multi-start.
 *
 * <ul>
 *   <li>{@link org.sundials4j.ensemble.OdeEnsemble}: one model and objective, many
 *       {@link org.sundials4j.ensemble.Member}s; solves, losses or gradients per member and the summed
 *       loss and gradient ({@link org.sundials4j.ensemble.GradientSum}).</li>
 *   <li>{@link org.sundials4j.ensemble.Ensemble}: the general engine under it. Any worker type (for
 *       example one {@code GradientSolver} per experiment), any per-member function, any vector to
 *       sum: what a multi-experiment estimation objective needs.</li>
 *   <li>{@link org.sundials4j.ensemble.TreeSum}: the fixed-order pairwise sum both use, mergeable in
 *       any order with the same bits; the Spark module ({@code spark/}) aggregates it across a cluster.</li>
 *   <li>{@link org.sundials4j.ensemble.LogNormalPopulation}: reproducible virtual subjects.</li>
 * </ul>
 *
 * <h2>Guarantees</h2>
 * Results come back in input order. A worker (solver) belongs to one thread and is reused for the
 * members that thread runs; solvers reused for new inputs answer exactly as fresh ones, so each
 * member's result is the one a plain sequential loop gets. Sums are bit-for-bit the same for any
 * thread count, schedule or partitioning, because the grouping of the additions is fixed by the
 * member indices. A failing member is reported with its index and exception and left out of the sum;
 * the others still run, unless the run is fail-fast.
 */
package org.sundials4j.ensemble;
