package org.sundials4j.ode;

/**
 * The explicit Runge–Kutta tables of {@link Method#ERK}: SUNDIALS ARKODE's embedded pairs, named by
 * the order of the solution they advance (the embedded order, one lower, estimates the error).
 * Higher orders take fewer, costlier steps: they pay off at tight tolerances and with few outputs;
 * every output time ends a step, so dense outputs favour the middle orders.
 */
public enum ErkTable {
    /** Dormand–Prince 5(4), 7 stages ({@code ARKODE_DORMAND_PRINCE_7_4_5}). */
    DORMAND_PRINCE_5(5),
    /** Verner 6(5), 8 stages ({@code ARKODE_VERNER_8_5_6}). */
    VERNER_6(6),
    /** Verner 7(6), 10 stages ({@code ARKODE_VERNER_10_6_7}); the default. */
    VERNER_7(7),
    /** Verner 8(7), 13 stages ({@code ARKODE_VERNER_13_7_8}). */
    VERNER_8(8),
    /** Verner 9(8), 16 stages ({@code ARKODE_VERNER_16_8_9}). */
    VERNER_9(9);

    private final int order;

    ErkTable(int order) {
        this.order = order;
    }

    /** The order of the advancing solution. */
    public int order() {
        return order;
    }
}
