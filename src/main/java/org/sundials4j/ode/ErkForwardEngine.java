package org.sundials4j.ode;

import static org.sundials4j.internal.cvodes.global.cvodes.*;

import org.bytedeco.javacpp.Pointer;
import org.sundials4j.internal.cvodes.N_Vector;
import org.sundials4j.internal.cvodes.S4jErkSens;

/**
 * Forward sensitivities with {@link Method#ERK}: ERKStep integrates the augmented system
 * {@code z = [y, s_1..s_k]}, {@code s_j' = f_y s_j + f_p e_j} ({@code s_j(t0)} 0 for a parameter, the
 * unit vector for an initial state), in one error test, as the pure-Java variational integrators do
 * and CVODES' forward sensitivities with error control. The augmented RHS is native
 * ({@code sundials4j_erk.h}): the state RHS and one JVP per column come from the native tape
 * replay, or from Java per call when the replay is off. The sensitivities' absolute tolerances
 * are CVODES' "estimated" ones ({@code CVodeSensEEtolerances}): the state's divided by the
 * parameter's scale; with {@link SensitivityOptions#withErrorControl} off they leave the test.
 * The loss gradient is {@code Σ_k ∂L/∂y(t_k) · S(t_k) + ∂L/∂p}.
 */
final class ErkForwardEngine extends SensitivityEngine {
    private final int ns;
    private final S4jErkSens views;
    private final N_Vector z;
    private final Pointer mem;
    private final N_Vector atol;

    ErkForwardEngine(DifferentiableOdeModel model, SolverOptions o, SensitivityOptions so, RunControl control) {
        super(model, o, so, null, control);
        try {
            this.ns = wireSensitivities();
            long len = (long) n * (ns + 1);
            this.views = solver.owner.own(CvodesSolver.allocated(s4j_erk_sens_new(solver.bridge, ns, solver.ctx),
                    "the augmented system's views (s4j_erk_sens_new)"), v -> s4j_erk_sens_free(v));
            this.z = solver.owner.own(solver.newVector(len, "the augmented state [y, sensitivities]"), v -> N_VDestroy(v));
            this.atol = solver.owner.own(solver.newVector(len, "the augmented absolute tolerances"), v -> N_VDestroy(v));
            this.mem = solver.newErk(views, z);
        } catch (RuntimeException | Error e) {
            solver.close();
            throw e;
        }
    }

    /** z(t0) = [y0, 0 for parameters, e_i for initial state i]. */
    private double[] initialAugmented(double[] y0) {
        double[] z0 = new double[n * (ns + 1)];
        System.arraycopy(y0, 0, z0, 0, n);
        for (int s = params.length; s < ns; s++) z0[n * (s + 1) + states[s - params.length]] = 1.0;
        return z0;
    }

    /** The state's atol, and per sensitivity the state's divided by its parameter's scale (1 for an initial state). */
    private void loadTolerances(double[] p) {
        double[] a = solver.options.atol(), scales = so.parameterScales(p, params);
        double[] all = new double[n * (ns + 1)];
        for (int s = -1; s < ns; s++) {
            double scale = s < 0 || s >= params.length ? 1.0 : scales[s];
            for (int i = 0; i < n; i++) {
                double ai = a.length == 1 ? a[0] : a[i];
                // out of the error test: a weight 1/(rtol |s| + MAX_VALUE) that no error can move
                all[n * (s + 1) + i] = s >= 0 && !so.errorControl() ? Double.MAX_VALUE : ai / scale;
            }
        }
        N_VGetArrayPointer(atol).put(all);
        solver.setup(s4j_erk_sv_tolerances(mem, solver.options.rtol(), atol), "ARKodeSVtolerances");
    }

    @Override
    Gradient run(double t0, double[] y0, double[] p, double[] times, OutputLoss loss) {
        solver.checkOpen();
        solver.checkInputs(t0, y0, p, times);
        solver.prepare(t0, y0, p);
        double[] z0 = initialAugmented(y0);
        solver.restartErk(mem, views, t0, z, z0, p);
        loadTolerances(p);
        int kCount = times.length;
        forwardPass(t0, times[kCount - 1], mem);
        double[][] zs = solver.erkOutputs(mem, z, t0, z0, times, SolverException.Phase.SENSITIVITY);
        forwardDone(times[kCount - 1]);
        double[][] ys = new double[kCount][];
        for (int k = 0; k < kCount; k++) ys[k] = java.util.Arrays.copyOfRange(zs[k], 0, n);
        double[][] dY = new double[kCount][n];
        double[] dP = new double[p.length];
        double value = GradientSolver.evaluateLoss(loss, times, ys, p, dY, dP);
        double[] grad = outputGradient(dY, dP, ns, zs, n, 0);
        double[][][] sk = null; // S_s(t_k) by output and column, only when the trajectories are kept
        if (so.keepTrajectories()) {
            sk = new double[kCount][ns][];
            for (int k = 0; k < kCount; k++)
                for (int s = 0; s < ns; s++) sk[k][s] = java.util.Arrays.copyOfRange(zs[k], n * (s + 1), n * (s + 2));
        }
        Solution sol = new Solution(times.clone(), ys, solver.erkStatistics(mem));
        return new Gradient(value, java.util.Arrays.copyOfRange(grad, 0, params.length),
                java.util.Arrays.copyOfRange(grad, params.length, ns), params, states, SensitivityMethod.FORWARD, sol, null,
                0, 0, 0, 0, sk);
    }

    @Override
    ReplayStatistics replayStatistics() {
        return solver.replayStatistics(solver.bridge);
    }
}
