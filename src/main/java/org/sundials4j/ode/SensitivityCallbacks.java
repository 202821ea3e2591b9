package org.sundials4j.ode;

import java.nio.DoubleBuffer;
import java.util.Arrays;
import org.sundials4j.internal.Glue;

/**
 * Callbacks of forward and adjoint sensitivity runs, on top of the forward RHS and Jacobian.
 *
 * <p>Forward mode, sensitivity {@code s} of {@code θ_s}: {@code s' = f_y s + f_p e_s}, one JVP; the
 * integrand's quadrature sensitivity is {@code g_y s + g_p e_s} from one gradient per point.
 *
 * <p>Adjoint mode: {@code λ' = -(f_yᵀ λ + g_yᵀ)} and {@code μ' = -(f_pᵀ λ + g_pᵀ)}. One reverse sweep
 * gives both products; the quadrature callback at the same {@code (t, y, λ)} reuses the cached
 * {@code f_pᵀ λ} instead of sweeping again. The backward problem has its own bridge (its Jacobian
 * {@code -f_yᵀ} has a different band or sparsity layout), so its buffers are separate fields.
 */
final class SensitivityCallbacks extends ModelCallbacks {
    final DifferentiableOdeModel dm;
    Integrand integrand;
    /** For each forward sensitivity: the parameter it belongs to, or -1 for an initial state. */
    int[] sensParam = new int[0];
    /** Selected parameters, for the backward quadrature. */
    int[] selectedParams = new int[0];

    private final double[] s, sdot, w, gy, gp, lambda, outY, outP, qB;
    // forward-bridge views
    DoubleBuffer vBuf, vdotBuf, qBuf;
    // backward-bridge views
    DoubleBuffer bY, bV, bVdot, bQ;
    JacobianWriter backwardJacobian;
    /** The staging writer under {@link #backwardJacobian}, checked for NaN/infinity after each evaluation. */
    StagedJacobian backwardStaged;

    // cache of the last reverse sweep: (t, y, λ) -> f_pᵀλ + g_p
    private double cacheT = Double.NaN;
    private final double[] cacheY, cacheLambda, cacheP;
    long reverseSweeps, quadBCalls, quadBHits;

    SensitivityCallbacks(OdeModel model) {
        super(model);
        this.dm = (DifferentiableOdeModel) model;
        int np = model.parameterCount();
        s = new double[n];
        sdot = new double[n];
        w = new double[np];
        gy = new double[n];
        gp = new double[np];
        lambda = new double[n];
        outY = new double[n];
        outP = new double[np];
        qB = new double[np];
        cacheY = new double[n];
        cacheLambda = new double[n];
        cacheP = new double[np];
    }

    void resetCounters() {
        reverseSweeps = 0;
        quadBCalls = 0;
        quadBHits = 0;
        cacheT = Double.NaN;
    }

    @Override
    int other(int event, int index, double t) {
        return switch (event) {
            case Glue.EV_SENS_RHS -> sensRhs(index, t);
            case Glue.EV_QUAD -> quad(t);
            case Glue.EV_QUAD_SENS -> quadSens(index, t);
            case Glue.EV_RHS_B -> rhsB(t);
            case Glue.EV_QUAD_B -> quadB(t);
            case Glue.EV_JAC_B -> jacB(t);
            default -> super.other(event, index, t);
        };
    }

    @Override
    String siteName(int event) {
        return switch (event) {
            case Glue.EV_SENS_RHS -> "the sensitivity RHS (model JVP)";
            case Glue.EV_QUAD, Glue.EV_QUAD_SENS -> "the integrand";
            case Glue.EV_RHS_B -> "the adjoint RHS (model VJP)";
            case Glue.EV_QUAD_B -> "the adjoint quadrature (model VJP)";
            case Glue.EV_JAC_B -> "the adjoint Jacobian";
            default -> super.siteName(event);
        };
    }

    private int sensRhs(int is, double t) {
        Staging.read(yBuf, y);
        Staging.read(vBuf, s);
        int j = sensParam[is];
        if (j >= 0) w[j] = 1;
        try {
            dm.jvp(t, y, p, s, w, sdot);
        } finally {
            if (j >= 0) w[j] = 0;
        }
        if (!finite(sdot, "the sensitivity RHS", "s'", t)) return 1;
        Staging.write(sdot, vdotBuf);
        return 0;
    }

    private int quad(double t) {
        Staging.read(yBuf, y);
        double g = integrand.value(t, y, p);
        if (!Double.isFinite(g)) {
            nonFinite = "the integrand returned " + g + " at t = " + t;
            return 1;
        }
        qBuf.put(0, g);
        return 0;
    }

    private int quadSens(int is, double t) {
        if (is == 0) {
            Staging.read(yBuf, y);
            integrand.gradient(t, y, p, gy, gp);
        }
        Staging.read(vBuf, s);
        double v = 0;
        for (int i = 0; i < n; i++) v += gy[i] * s[i];
        int j = sensParam[is];
        if (j >= 0) v += gp[j];
        qBuf.put(0, v);
        return 0;
    }

    /** One reverse sweep at (t, y, λ): fills outY and outP (integrand included) and the cache. */
    private void sweep(double t) {
        dm.vjp(t, y, p, lambda, outY, outP, null);
        reverseSweeps++;
        if (integrand != null) {
            integrand.gradient(t, y, p, gy, gp);
            for (int i = 0; i < n; i++) outY[i] += gy[i];
            for (int j = 0; j < outP.length; j++) outP[j] += gp[j];
        }
        cacheT = t;
        System.arraycopy(y, 0, cacheY, 0, n);
        System.arraycopy(lambda, 0, cacheLambda, 0, n);
        System.arraycopy(outP, 0, cacheP, 0, outP.length);
    }

    private int rhsB(double t) {
        tick(t);
        Staging.read(bY, y);
        Staging.read(bV, lambda);
        sweep(t);
        for (int i = 0; i < n; i++) sdot[i] = -outY[i];
        if (!finite(sdot, "the adjoint RHS", "λ'", t)) return 1;
        Staging.write(sdot, bVdot);
        return 0;
    }

    private int quadB(double t) {
        Staging.read(bY, y);
        Staging.read(bV, lambda);
        quadBCalls++;
        if (t == cacheT && Arrays.equals(y, cacheY) && Arrays.equals(lambda, cacheLambda)) {
            quadBHits++;
        } else {
            sweep(t);
        }
        for (int k = 0; k < selectedParams.length; k++) qB[k] = -cacheP[selectedParams[k]];
        for (int k = 0; k < selectedParams.length; k++) {
            if (!Double.isFinite(qB[k])) {
                nonFinite = "the adjoint quadrature returned " + qB[k] + " for parameter " + selectedParams[k] + " at t = " + t;
                return 1;
            }
        }
        bQ.put(0, qB, 0, selectedParams.length);
        return 0;
    }

    private int jacB(double t) {
        Staging.read(bY, y);
        // the backward Newton matrix is d(λ')/dλ = -f_yᵀ: transpose and negate on the way in
        model.jacobian(t, y, p, backwardJacobian);
        return finiteJacobian(backwardStaged, "the Jacobian (transposed for the adjoint)", t) ? 0 : 1;
    }

    /**
     * Carries λ and μ (the selected parameters' entries) from {@code tcur} down to {@code tnext}
     * across an interval too short for CVODES to start on, by one Heun step of
     * {@code λ' = -(f_yᵀλ + g_yᵀ)}, {@code μ' = -(f_pᵀλ + g_pᵀ)} with the forward states at both
     * ends. The interval is a few ulps of t, so the step's error O((Δt‖f_y‖)³) lies far below what
     * double precision resolves in t. Returns a description of a non-finite result, or null.
     */
    String heunBackward(double tcur, double[] ycur, double tnext, double[] ynext, double[] lam, double[] mu) {
        double h = tcur - tnext;
        System.arraycopy(ycur, 0, y, 0, n);
        System.arraycopy(lam, 0, lambda, 0, n);
        sweep(tcur);
        double[] k1 = outY.clone(), m1 = outP.clone();
        for (int i = 0; i < n; i++) lambda[i] = lam[i] + h * k1[i];
        System.arraycopy(ynext, 0, y, 0, n);
        sweep(tnext);
        cacheT = Double.NaN; // y and λ here are not a point CVODES evaluates
        for (int i = 0; i < n; i++) lam[i] += 0.5 * h * (k1[i] + outY[i]);
        for (int k = 0; k < selectedParams.length; k++) {
            int j = selectedParams[k];
            mu[k] += 0.5 * h * (m1[j] + outP[j]);
        }
        for (int i = 0; i < n; i++) if (!Double.isFinite(lam[i])) return "λ[" + i + "] = " + lam[i];
        for (int k = 0; k < selectedParams.length; k++) if (!Double.isFinite(mu[k])) return "μ[" + k + "] = " + mu[k];
        return null;
    }

    /** Wraps a writer so that entry (i, j, v) lands at (j, i, -v). */
    static JacobianWriter negatedTranspose(JacobianWriter target) {
        return (row, col, value) -> target.set(col, row, -value);
    }
}
