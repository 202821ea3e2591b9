package org.sundials4j.ode;

/** The linear multistep family CVODES integrates with. */
public enum Method {
    /** Backward differentiation formulas, orders 1-5: for stiff problems (the default). */
    BDF,
    /** Adams-Moulton, orders 1-12: for non-stiff problems, usually with fewer RHS evaluations. */
    ADAMS
}
