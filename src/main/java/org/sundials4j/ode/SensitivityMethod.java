package org.sundials4j.ode;

/** How a {@link GradientSolver} differentiates the loss. All give the same {@link Gradient} type. */
public enum SensitivityMethod {
    /** Forward sensitivities (CVODES {@code CVodeSensInit1}): one extra n-vector ODE per parameter. */
    FORWARD,
    /** Checkpointed adjoint (CVODES {@code CVodeAdjInit}, {@code CVodeF}, backward problem): cost nearly
     *  independent of the number of parameters. */
    ADJOINT,
    /** FORWARD or ADJOINT by the cost rule in {@link GradientSolver#choose}. */
    AUTO,
    /** Fourth-order central finite differences of the loss, four solves per input: for checking only. */
    FINITE_DIFFERENCE
}
