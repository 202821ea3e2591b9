package org.sundials4j.fit;

import java.util.ArrayList;
import java.util.List;
import org.sundials4j.ode.EventModel;
import org.sundials4j.ode.Gradient;
import org.sundials4j.ode.GradientSolver;
import org.sundials4j.ode.SolverException;
import org.sundials4j.tape.TapeLoss;
import org.sundials4j.tape.TapeOdeModel;

/**
 * The negative log-likelihood of an {@link EstimationProblem} as a function of {@code θ}, with its
 * gradient (one {@link GradientSolver} per experiment) and its Hessian (one {@link SecondOrderAdjoint}
 * per experiment, made on first use). Owns those solvers; close it. Not for concurrent use.
 *
 * <p>Chain rule to {@code θ}: {@code ∂/∂θ_i = (dq_i/dθ_i) ∂/∂q_i} with {@code dq/dθ = q} on a log scale,
 * and for the Hessian the extra diagonal {@code (d²q_i/dθ_i²) ∂NLL/∂q_i}. A parameter that an
 * experiment sets as a condition gets nothing from that experiment.
 *
 * <p>A solver failure at a point (an optimizer's trial step into a region where the model blows up)
 * makes {@link #value} return NaN, which the optimizer's line search backs off from; the failure is
 * kept in {@link #lastFailure()}.
 */
public final class Likelihood implements DifferentiableFunction, AutoCloseable {
    private final EstimationProblem problem;
    private final List<Term> terms = new ArrayList<>();
    private final int[] est;
    private final int nq;
    private int evaluations;
    private RuntimeException lastFailure;

    /** One experiment's solvers. */
    private final class Term implements AutoCloseable {
        final Experiment e;
        final GradientSolver solver;
        final TapeLoss loss;
        final int[] selected; // model parameters this experiment differentiates (estimated, not conditions)
        SecondOrderAdjoint second;

        Term(Experiment e) {
            this.e = e;
            int np = problem.modelParameterCount();
            double[] q0 = problem.forExperiment(e, problem.naturalOf(problem.initialTheta()));
            TapeOdeModel model = TapeOdeModel.record(problem.stateCount(), nq, problem.rhsOverAll(), e.initialTime(), e.initialState(), q0);
            List<Integer> sel = new ArrayList<>();
            for (int i : est) if (i < np && !e.conditions().containsKey(i)) sel.add(i);
            this.selected = sel.stream().mapToInt(Integer::intValue).toArray();
            this.loss = TapeLoss.of(problem.negativeLogLikelihood(e));
            this.solver = new GradientSolver(e.hasEvents() ? EventModel.of(model, e.events(problem.stateCount(), nq)) : model,
                    loss.forSolver(), null, problem.solverOptions(),
                    problem.sensitivityOptions().withParameters(selected).withInitialStates());
        }

        /** Adds this experiment's NLL and {@code ∂NLL/∂q} (into {@code dq}); returns the NLL. */
        double evaluate(double[] q, double[] dq) {
            double[] qe = problem.forExperiment(e, q);
            Gradient g = solver.gradient(e.initialTime(), e.initialState(), qe, e.times());
            double[] gp = g.params();
            for (int j = 0; j < selected.length; j++) dq[selected[j]] += gp[j];
            if (nq > problem.modelParameterCount()) { // σ: the direct dependence of the loss
                double[][] states = g.solution().states(), dY = new double[states.length][states[0].length];
                double[] dP = new double[nq];
                loss.evaluate(e.times(), states, qe, dY, dP);
                for (int i = problem.modelParameterCount(); i < nq; i++) dq[i] += dP[i];
            }
            return g.loss();
        }

        double[] hessianVector(double[] q, double[] vq) {
            double[] qe = problem.forExperiment(e, q), v = vq.clone();
            for (int c : e.conditions().keySet()) v[c] = 0;
            if (second == null)
                second = new SecondOrderAdjoint(problem.stateCount(), nq, problem.rhsOverAll(), e.events(problem.stateCount(), nq),
                        problem.negativeLogLikelihood(e), null,
                        problem.solverOptions(), problem.sensitivityOptions(), e.initialTime(), e.initialState(), qe);
            double[] hv = second.apply(e.initialTime(), e.initialState(), qe, e.times(), v).hv();
            for (int c : e.conditions().keySet()) hv[c] = 0;
            return hv;
        }

        @Override
        public void close() {
            solver.close();
            if (second != null) second.close();
        }
    }

    Likelihood(EstimationProblem problem) {
        this.problem = problem;
        this.est = problem.estimatedIndices();
        this.nq = problem.parameters().size();
        try {
            for (Experiment e : problem.experiments()) terms.add(new Term(e));
        } catch (RuntimeException | Error x) {
            close();
            throw x;
        }
    }

    public EstimationProblem problem() {
        return problem;
    }

    /** Likelihood evaluations so far (each with its gradient). */
    public int evaluations() {
        return evaluations;
    }

    /** The last solver failure met by {@link #value}, or null. */
    public RuntimeException lastFailure() {
        return lastFailure;
    }

    /** {@code NLL(θ)}, with {@code ∇_θ NLL} written into {@code gradient}; NaN where a solve fails. */
    @Override
    public double value(double[] theta, double[] gradient) {
        evaluations++;
        double[] q = problem.naturalOf(theta), dq = new double[nq];
        double sum = 0;
        try {
            for (Term t : terms) sum += t.evaluate(q, dq);
        } catch (SolverException e) {
            lastFailure = e;
            java.util.Arrays.fill(gradient, Double.NaN);
            return Double.NaN;
        }
        List<FitParameter> ps = problem.parameters();
        for (int i = 0; i < est.length; i++) gradient[i] = dq[est[i]] * ps.get(est[i]).slope(theta[i]);
        return sum;
    }

    /** {@code ∇²_θ NLL · v}. */
    public double[] hessianVector(double[] theta, double[] v) {
        if (v.length != est.length) throw new IllegalArgumentException("v.length = " + v.length + ", expected " + est.length);
        double[] q = problem.naturalOf(theta), vq = new double[nq], hq = new double[nq];
        List<FitParameter> ps = problem.parameters();
        for (int i = 0; i < est.length; i++) vq[est[i]] = v[i] * ps.get(est[i]).slope(theta[i]);
        for (Term t : terms) {
            double[] h = t.hessianVector(q, vq);
            for (int i = 0; i < nq; i++) hq[i] += h[i];
        }
        double[] out = new double[est.length];
        boolean anyLog = false;
        for (int i = 0; i < est.length; i++) {
            out[i] = hq[est[i]] * ps.get(est[i]).slope(theta[i]);
            anyLog |= ps.get(est[i]).logScale();
        }
        if (anyLog) { // d²q/dθ² = q on a log scale: the gradient term
            double[] g = new double[est.length];
            value(theta, g);
            for (int i = 0; i < est.length; i++) if (ps.get(est[i]).logScale()) out[i] += g[i] * v[i];
        }
        return out;
    }

    /** The Hessian in {@code θ}, from one product per estimated parameter, symmetrized. */
    public double[][] hessian(double[] theta) {
        double[][] h = new double[est.length][];
        for (int i = 0; i < est.length; i++) {
            double[] e = new double[est.length];
            e[i] = 1;
            h[i] = hessianVector(theta, e);
        }
        return Hessians.symmetrize(h);
    }

    /**
     * The Hessian in {@code θ} by central differences of the exact gradient ({@code 2·nθ} gradients, step
     * {@code 1e-4·max(1, |θ_j|)}), symmetrized: an independent check of {@link #hessian}, and a fallback
     * for models second order refuses (switches of a piecewise right-hand side, events not on the tape).
     */
    public double[][] hessianByDifferences(double[] theta) {
        int n = est.length;
        double[][] h = new double[n][n];
        for (int j = 0; j < n; j++) {
            double step = 1e-4 * Math.max(1, Math.abs(theta[j]));
            double[] a = theta.clone(), b = theta.clone(), ga = new double[n], gb = new double[n];
            a[j] += step;
            b[j] -= step;
            if (!Double.isFinite(value(a, ga)) || !Double.isFinite(value(b, gb)))
                throw new IllegalStateException("the likelihood failed next to the optimum in " + problem.estimatedNames()[j]
                        + (lastFailure == null ? "" : ": " + lastFailure.getMessage()));
            for (int i = 0; i < n; i++) h[i][j] = (ga[i] - gb[i]) / (2 * step);
        }
        return Hessians.symmetrize(h);
    }

    private boolean anyEvents() {
        for (Term t : terms) if (t.e.hasEvents()) return true;
        return false;
    }

    /** Minimizes from {@code theta0}; with {@code uncertainty}, adds standard errors at the optimum. */
    public FitResult fit(double[] theta0, OptimizerOptions options, OptimizationListener listener, boolean uncertainty) {
        long start = System.nanoTime();
        int before = evaluations;
        OptimizationResult r = Lbfgsb.minimize(this, theta0, problem.lowerTheta(), problem.upperTheta(), options, listener);
        long fitNanos = System.nanoTime() - start;
        Uncertainty u = null;
        String why = null;
        if (uncertainty) {
            try {
                u = Uncertainty.at(problem, r.x(), hessian(r.x()), anyEvents() ? "second-order adjoint through events" : "second-order adjoint");
            } catch (IllegalArgumentException e) { // second order refuses the model: switches, events not on the tape
                try {
                    u = Uncertainty.at(problem, r.x(), hessianByDifferences(r.x()),
                            "central differences of the gradient (" + e.getMessage() + ")");
                } catch (IllegalStateException | SolverException f) {
                    why = f.getMessage();
                }
            } catch (IllegalStateException | SolverException e) {
                why = e.getMessage();
            }
        }
        return new FitResult(problem.estimatedNames(), problem.estimatesOf(r.x()), r.x(), r, evaluations - before,
                fitNanos / 1e9, u, why, r.reason() == StopReason.NON_FINITE && lastFailure != null ? lastFailure.getMessage() : null);
    }

    @Override
    public void close() {
        for (Term t : terms) t.close();
    }
}
