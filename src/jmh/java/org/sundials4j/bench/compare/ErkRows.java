package org.sundials4j.bench.compare;

import java.util.Set;
import org.sundials4j.ode.GradientSolver;
import org.sundials4j.ode.Method;
import org.sundials4j.problems.Objective;

/**
 * Which {@link Method#ERK} rows a problem gets, and whether they are its target rows (the ones the
 * pure-Java contenders are matched against and the ratios are taken to).
 *
 * <p>ERK rows go to the problems whose objective declares them non-stiff (Adams) and that have no
 * events: a solve row, and a forward-sensitivity gradient row where CVODES' AUTO rule would pick
 * forward sensitivities too (few of them: lotka-volterra's 6, not neural-ode's 252, whose gradient
 * stays with the adjoint on Adams). They are the targets where they beat Adams in the benchmark
 * (README "Choosing ERK, Adams or BDF" has the figures); elsewhere they are extra rows.
 */
record ErkRows(boolean solve, boolean gradient, boolean solveTarget, boolean gradientTarget) {
    /** The name of the ERK solve row. */
    static final String SOLVE_NAME = "sundials4j " + Method.ERK.name();
    /** The suffix of the ERK gradient row ("sundials4j forward (ERK)"). */
    static final String GRADIENT_SUFFIX = " (ERK)";
    /** Problems whose ERK solve / gradient rows are the targets: measured faster than Adams there. */
    static final Set<String> SOLVE_TARGETS = Set.of("lotka-volterra"), GRADIENT_TARGETS = Set.of("lotka-volterra");

    static ErkRows of(Objective o) {
        boolean solve = o.options().method() == Method.ADAMS && o.problem().events().isEmpty();
        int n = o.problem().stateCount(), s = o.problem().parameterCount() + n;
        boolean gradient = solve && o.integrand() == null
                && GradientSolver.choose(n, s, o.times().length) == org.sundials4j.ode.SensitivityMethod.FORWARD;
        String name = o.problem().name();
        return new ErkRows(solve, gradient, solve && SOLVE_TARGETS.contains(name), gradient && GRADIENT_TARGETS.contains(name));
    }
}
