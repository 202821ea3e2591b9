package org.sundials4j.bench;

import java.util.Arrays;
import java.util.Locale;
import org.sundials4j.fit.FitBenchAccess;
import org.sundials4j.fit.SecondOrderAdjoint;
import org.sundials4j.ode.CvodesSolver;
import org.sundials4j.ode.GradientSolver;
import org.sundials4j.ode.SensitivityMethod;
import org.sundials4j.problems.Objective;
import org.sundials4j.problems.Objectives;
import org.sundials4j.problems.Problem;
import org.sundials4j.tape.LossDefinition;
import org.sundials4j.tape.TapeLoss;
import org.sundials4j.tape.Var;

/**
 * One Hessian-vector product ({@link SecondOrderAdjoint}) against one gradient ({@link GradientSolver})
 * of pollu's loss with respect to its 25 rate constants, both by AUTO (the adjoint here) at the
 * objective's tolerances, interleaved rep by rep on reused solvers (as in {@link GradientBenchmark}).
 * Prints the medians and their ratio; nothing is asserted.
 *
 * <p>It also splits the product's cost for the comparison with CVODES' own second-order adjoint
 * ({@code cvsHessian_ASA_FSA}: forward sensitivities in the forward pass, {@code CVodeInitBS} backward):
 * the two differ only in the forward pass (the backward problem is the same {@code 2n} system with
 * the same quadratures), so it times our forward pass, one solve of the augmented {@code (y, s)}
 * system, against CVODES' forward pass, one solve with one forward sensitivity ({@code CVodeSensInit1},
 * staggered, on the model's own {@code n×n} Newton matrix).
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
        int n = p.stateCount(), np = p.parameterCount();
        double[] y0 = p.initialState(), params = p.parameters(), times = o.times();
        LossDefinition sumOfSquares = (tape, t, y, q) -> { // the problem set's pollu loss
            Var s = tape.constant(0);
            for (var yk : y) s = s.plus(yk.dot(yk));
            return s;
        };
        double[] v = new double[params.length];
        for (int j = 0; j < v.length; j++) v[j] = params[j] * Math.sin(j + 1); // a relative direction
        double[] yAug = new double[2 * n], pAug = new double[2 * np + n];
        System.arraycopy(y0, 0, yAug, 0, n);
        System.arraycopy(params, 0, pAug, 0, np);
        System.arraycopy(v, 0, pAug, np, np);
        double[] gTimes = new double[reps], hTimes = new double[reps], augTimes = new double[reps], sensTimes = new double[reps];
        try (GradientSolver gs = new GradientSolver(o.model(), o.loss(), null, o.options(), o.sensitivity());
             SecondOrderAdjoint h = new SecondOrderAdjoint(n, np, p.definition(), sumOfSquares, null,
                     o.options(), o.sensitivity(), 0, y0, params);
             CvodesSolver augmented = new CvodesSolver(FitBenchAccess.tangentModel(n, np, p.definition(), y0, params),
                     FitBenchAccess.augmentedOptions(o.options(), n));
             GradientSolver oneSensitivity = new GradientSolver(o.model(), TapeLoss.of(sumOfSquares).forSolver(), null, o.options(),
                     o.sensitivity().withMethod(SensitivityMethod.FORWARD).withParameters(0).withInitialStates())) {
            for (int k = 0; k < 3; k++) { // warm-up: native set-up, JIT
                gs.gradient(0, y0, params, times);
                h.apply(0, y0, params, times, v);
                augmented.solve(0, yAug, pAug, times);
                oneSensitivity.gradient(0, y0, params, times);
            }
            SecondOrderAdjoint.Product last = null;
            for (int k = 0; k < reps; k++) {
                long a = System.nanoTime();
                gs.gradient(0, y0, params, times);
                long b = System.nanoTime();
                last = h.apply(0, y0, params, times, v);
                long c = System.nanoTime();
                augmented.solve(0, yAug, pAug, times);
                long d = System.nanoTime();
                oneSensitivity.gradient(0, y0, params, times);
                long e = System.nanoTime();
                gTimes[k] = (b - a) / 1e6;
                hTimes[k] = (c - b) / 1e6;
                augTimes[k] = (d - c) / 1e6;
                sensTimes[k] = (e - d) / 1e6;
            }
            double g = median(gTimes), hv = median(hTimes), aug = median(augTimes), sens = median(sensTimes);
            System.out.printf(Locale.ROOT, "pollu (n = %d, %d parameters, %d outputs), %d interleaved reps, medians:%n", n, np, times.length, reps);
            System.out.printf(Locale.ROOT, "  gradient (%s)             %8.2f ms  (min %.2f)%n",
                    gs.gradient(0, y0, params, times).method(), g, Arrays.stream(gTimes).min().orElse(0));
            System.out.printf(Locale.ROOT, "  Hessian-vector product (%s) %8.2f ms  (min %.2f)%n", last.gradient().method(), hv,
                    Arrays.stream(hTimes).min().orElse(0));
            System.out.printf(Locale.ROOT, "  HVP / gradient            %8.2f%n", hv / g);
            System.out.printf(Locale.ROOT, "  its forward pass, (y, s) solve  %8.2f ms  (%d steps)%n", aug,
                    augmented.solve(0, yAug, pAug, times).statistics().steps());
            System.out.printf(Locale.ROOT, "  CVODES' forward pass, 1 forward sensitivity %8.2f ms  (%d steps)%n", sens,
                    oneSensitivity.gradient(0, y0, params, times).solution().statistics().steps());
            System.out.printf(Locale.ROOT, "  CVODES-native HVP estimate (HVP - ours + theirs) %8.2f ms = %.2f gradients%n",
                    hv - aug + sens, (hv - aug + sens) / g);
        }
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
