package org.sundials4j.bench;

import java.util.Arrays;
import java.util.Locale;
import org.sundials4j.fit.SecondOrderAdjoint;
import org.sundials4j.ode.GradientSolver;
import org.sundials4j.ode.SensitivityMethod;
import org.sundials4j.problems.Objective;
import org.sundials4j.problems.Objectives;
import org.sundials4j.problems.Problem;
import org.sundials4j.tape.LossDefinition;
import org.sundials4j.tape.Var;

/**
 * One Hessian-vector product ({@link SecondOrderAdjoint}) against one gradient ({@link GradientSolver})
 * of pollu's loss with respect to its 25 rate constants, both by AUTO (the adjoint here) at the
 * objective's tolerances, interleaved rep by rep on reused solvers (as in {@link GradientBenchmark}).
 * Prints the medians and their ratio; nothing is asserted.
 *
 * <p>usage: {@code HessianVectorBenchmark [--reps N]} (default 21)
 */
public final class HessianVectorBenchmark {
    private HessianVectorBenchmark() {
    }

    public static void main(String[] args) {
        int reps = args.length == 2 && args[0].equals("--reps") ? Integer.parseInt(args[1]) : 21;
        Objective o = Objectives.pollu();
        Problem p = o.problem();
        double[] y0 = p.initialState(), params = p.parameters(), times = o.times();
        LossDefinition sumOfSquares = (tape, t, y, q) -> { // the problem set's pollu loss
            Var s = tape.constant(0);
            for (var yk : y) s = s.plus(yk.dot(yk));
            return s;
        };
        double[] v = new double[params.length];
        for (int j = 0; j < v.length; j++) v[j] = params[j] * Math.sin(j + 1); // a relative direction
        double[] gTimes = new double[reps], hTimes = new double[reps];
        try (GradientSolver gs = new GradientSolver(o.model(), o.loss(), null, o.options(), o.sensitivity());
             SecondOrderAdjoint h = new SecondOrderAdjoint(p.stateCount(), params.length, p.definition(), sumOfSquares, null,
                     o.options(), o.sensitivity(), 0, y0, params)) {
            for (int k = 0; k < 3; k++) { // warm-up: native set-up, JIT
                gs.gradient(0, y0, params, times);
                h.apply(0, y0, params, times, v);
            }
            SecondOrderAdjoint.Product last = null;
            for (int k = 0; k < reps; k++) {
                long a = System.nanoTime();
                gs.gradient(0, y0, params, times);
                long b = System.nanoTime();
                last = h.apply(0, y0, params, times, v);
                long c = System.nanoTime();
                gTimes[k] = (b - a) / 1e6;
                hTimes[k] = (c - b) / 1e6;
            }
            double g = median(gTimes), hv = median(hTimes);
            System.out.printf(Locale.ROOT, "pollu (n = 20, 25 parameters, 5 outputs), %d interleaved reps, medians:%n", reps);
            System.out.printf(Locale.ROOT, "  gradient (%s)             %8.2f ms  (min %.2f)%n",
                    gs.gradient(0, y0, params, times).method(), g, Arrays.stream(gTimes).min().orElse(0));
            System.out.printf(Locale.ROOT, "  Hessian-vector product (%s) %8.2f ms  (min %.2f)%n", last.gradient().method(), hv,
                    Arrays.stream(hTimes).min().orElse(0));
            System.out.printf(Locale.ROOT, "  HVP / gradient            %8.2f%n", hv / g);
        }
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
