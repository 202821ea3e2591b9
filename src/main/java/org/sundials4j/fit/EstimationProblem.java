package org.sundials4j.fit;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.sundials4j.ode.SensitivityOptions;
import org.sundials4j.ode.SolverOptions;
import org.sundials4j.tape.LossDefinition;
import org.sundials4j.tape.OdeDefinition;
import org.sundials4j.tape.Var;
import org.sundials4j.tape.VarVector;

/**
 * A model, its experiments, observables and noise: everything needed to write the negative
 * log-likelihood and fit it. Immutable; build with {@link #builder}.
 *
 * <p><b>Parameters.</b> The full parameter vector {@code q} is the model's parameters, then (when the
 * noise σ are estimated) one σ per observable, named {@code sigma_<observable>}. Each is a
 * {@link FitParameter}: estimated or fixed, linear or log scale, bounded or not. The optimizer works on
 * {@code θ}, the estimated parameters only, each on its own scale ({@code q = e^θ} for log scale).
 * An {@link Experiment} may set some model parameters to its own known values (condition
 * parameters); those are not estimated from that experiment.
 *
 * <p><b>Objective.</b> {@code NLL(θ) = Σ_experiments Σ_k Σ_j -log p(d_kj | h_j(t_k, y(t_k), q), σ_j)},
 * each experiment's gradient from its own {@code GradientSolver} (AUTO by default, so each experiment
 * gets forward or adjoint by its own size); see {@link Likelihood}.
 */
public final class EstimationProblem {
    private final int n;
    private final OdeDefinition rhs;
    private final List<FitParameter> modelParameters;
    private final ObservableDefinition observables;
    private final NoiseModel noise;
    private final List<Experiment> experiments;
    private final SolverOptions solverOptions;
    private final SensitivityOptions sensitivityOptions;
    private final List<FitParameter> all;
    private final int[] estimated;

    private EstimationProblem(Builder b) {
        this.n = b.n;
        this.rhs = b.rhs;
        this.modelParameters = List.copyOf(b.parameters);
        this.observables = Objects.requireNonNull(b.observables, "observables");
        this.noise = Objects.requireNonNull(b.noise, "noise");
        this.experiments = List.copyOf(b.experiments);
        this.solverOptions = b.solverOptions;
        this.sensitivityOptions = b.sensitivityOptions;
        if (modelParameters.isEmpty()) throw new IllegalArgumentException("no parameters");
        if (experiments.isEmpty()) throw new IllegalArgumentException("no experiments");
        List<FitParameter> a = new ArrayList<>(modelParameters);
        if (noise.isEstimated())
            for (int j = 0; j < noise.observableCount(); j++)
                a.add(FitParameter.of("sigma_" + j, noise.sigma()[j]).withLogScale().withBounds(1e-12, Double.POSITIVE_INFINITY));
        this.all = List.copyOf(a);
        int count = 0;
        for (FitParameter p : all) if (!p.fixed()) count++;
        this.estimated = new int[count];
        for (int i = 0, k = 0; i < all.size(); i++) if (!all.get(i).fixed()) estimated[k++] = i;
        if (count == 0) throw new IllegalArgumentException("every parameter is fixed: nothing to estimate");
        for (Experiment e : experiments) {
            if (e.initialState().length != n)
                throw new IllegalArgumentException("experiment " + e.name() + ": initial state has " + e.initialState().length + " entries, the model " + n);
            if (e.observableCount() != noise.observableCount())
                throw new IllegalArgumentException("experiment " + e.name() + ": " + e.observableCount() + " data columns, the noise model has "
                        + noise.observableCount() + " observables");
            for (int c : e.conditions().keySet())
                if (c >= modelParameters.size())
                    throw new IllegalArgumentException("experiment " + e.name() + ": condition parameter " + c + " >= parameter count " + modelParameters.size());
        }
    }

    /** Starts a problem for a model with {@code stateCount} states and right-hand side {@code rhs}. */
    public static Builder builder(int stateCount, OdeDefinition rhs) {
        return new Builder(stateCount, rhs);
    }

    /** Collects the parts of a problem; {@link #build()} checks that they fit together. */
    public static final class Builder {
        private final int n;
        private final OdeDefinition rhs;
        private final List<FitParameter> parameters = new ArrayList<>();
        private ObservableDefinition observables = ObservableDefinition.states();
        private NoiseModel noise;
        private final List<Experiment> experiments = new ArrayList<>();
        private SolverOptions solverOptions = SolverOptions.defaults();
        private SensitivityOptions sensitivityOptions = SensitivityOptions.defaults();

        private Builder(int n, OdeDefinition rhs) {
            if (n < 1) throw new IllegalArgumentException("stateCount = " + n + ", must be >= 1");
            this.n = n;
            this.rhs = Objects.requireNonNull(rhs, "rhs");
        }

        /** The model's parameters, in the order the right-hand side reads them. */
        public Builder parameters(FitParameter... p) {
            parameters.clear();
            parameters.addAll(List.of(p));
            return this;
        }

        /** The observables (default: every state). */
        public Builder observables(ObservableDefinition h) {
            this.observables = Objects.requireNonNull(h, "observables");
            return this;
        }

        public Builder noise(NoiseModel noise) {
            this.noise = Objects.requireNonNull(noise, "noise");
            return this;
        }

        public Builder experiment(Experiment e) {
            experiments.add(Objects.requireNonNull(e, "experiment"));
            return this;
        }

        public Builder solverOptions(SolverOptions o) {
            this.solverOptions = Objects.requireNonNull(o, "solverOptions");
            return this;
        }

        /** The method (AUTO by default) and adjoint settings; the parameter selection is made per experiment. */
        public Builder sensitivityOptions(SensitivityOptions o) {
            this.sensitivityOptions = Objects.requireNonNull(o, "sensitivityOptions");
            return this;
        }

        public EstimationProblem build() {
            if (noise == null) throw new IllegalArgumentException("no noise model");
            return new EstimationProblem(this);
        }
    }

    public int stateCount() { return n; }
    public OdeDefinition rhs() { return rhs; }
    public int modelParameterCount() { return modelParameters.size(); }
    public ObservableDefinition observables() { return observables; }
    public NoiseModel noise() { return noise; }
    public List<Experiment> experiments() { return experiments; }
    public SolverOptions solverOptions() { return solverOptions; }
    public SensitivityOptions sensitivityOptions() { return sensitivityOptions; }
    /** Every parameter of {@code q}: the model's, then the estimated σ. */
    public List<FitParameter> parameters() { return all; }
    /** Indices into {@link #parameters()} of the estimated ones, in the order of {@code θ}. */
    public int[] estimatedIndices() { return estimated.clone(); }
    public int estimatedCount() { return estimated.length; }

    public String[] estimatedNames() {
        String[] s = new String[estimated.length];
        for (int i = 0; i < s.length; i++) s[i] = all.get(estimated[i]).name();
        return s;
    }

    public double[] initialTheta() {
        double[] t = new double[estimated.length];
        for (int i = 0; i < t.length; i++) t[i] = all.get(estimated[i]).toTheta(all.get(estimated[i]).initial());
        return t;
    }

    public double[] lowerTheta() {
        double[] t = new double[estimated.length];
        for (int i = 0; i < t.length; i++) {
            FitParameter p = all.get(estimated[i]);
            t[i] = p.logScale() ? (p.lower() > 0 ? Math.log(p.lower()) : Double.NEGATIVE_INFINITY) : p.lower();
        }
        return t;
    }

    public double[] upperTheta() {
        double[] t = new double[estimated.length];
        for (int i = 0; i < t.length; i++) {
            FitParameter p = all.get(estimated[i]);
            t[i] = p.logScale() ? Math.log(p.upper()) : p.upper();
        }
        return t;
    }

    /** The full vector {@code q} at {@code θ} (fixed parameters at their initial values). */
    public double[] naturalOf(double[] theta) {
        if (theta.length != estimated.length)
            throw new IllegalArgumentException("theta.length = " + theta.length + ", expected " + estimated.length);
        double[] q = new double[all.size()];
        for (int i = 0; i < q.length; i++) q[i] = all.get(i).initial();
        for (int i = 0; i < estimated.length; i++) q[estimated[i]] = all.get(estimated[i]).toNatural(theta[i]);
        return q;
    }

    /** The estimated parameters in natural units at {@code θ}. */
    public double[] estimatesOf(double[] theta) {
        double[] q = naturalOf(theta), e = new double[estimated.length];
        for (int i = 0; i < e.length; i++) e[i] = q[estimated[i]];
        return e;
    }

    /** {@code q} as experiment {@code e} sees it: its condition parameters applied. */
    double[] forExperiment(Experiment e, double[] q) {
        double[] r = q.clone();
        e.conditions().forEach((i, v) -> r[i] = v);
        return r;
    }

    /** The right-hand side over the full {@code q} (σ entries unused). */
    OdeDefinition rhsOverAll() {
        int np = modelParameters.size();
        return (tape, t, y, q) -> rhs.rhs(tape, t, y, q.slice(0, np));
    }

    /** Experiment {@code e}'s negative log-likelihood as a function of its outputs and {@code q}. */
    LossDefinition negativeLogLikelihood(Experiment e) {
        double[][] data = e.data();
        int np = modelParameters.size(), m = noise.observableCount();
        double[] sigma = noise.sigma();
        boolean logNormal = noise.kind() == NoiseModel.Kind.LOG_NORMAL, estimatedSigma = noise.isEstimated();
        double halfLog2Pi = 0.5 * Math.log(2 * Math.PI);
        return (tape, times, states, q) -> {
            VarVector model = q.slice(0, np);
            Var sum = tape.constant(0);
            for (int k = 0; k < times.length; k++) {
                Var[] h = observables.observe(tape, times[k], states[k], model);
                if (h.length != m)
                    throw new IllegalArgumentException("the observables returned " + h.length + " values, the noise model has " + m);
                for (int j = 0; j < m; j++) {
                    double d = data[k][j];
                    if (Double.isNaN(d)) continue;
                    Var r = logNormal ? h[j].log().minus(Math.log(d)) : h[j].minus(d);
                    double constant = halfLog2Pi + (logNormal ? Math.log(d) : 0);
                    if (estimatedSigma) {
                        Var s = q.get(np + j);
                        sum = sum.plus(r.div(s).square().times(0.5)).plus(s.log()).plus(constant);
                    } else {
                        sum = sum.plus(r.square().times(0.5 / (sigma[j] * sigma[j]))).plus(constant + Math.log(sigma[j]));
                    }
                }
            }
            return sum;
        };
    }

    /** A fresh likelihood with its own solvers (close it). */
    public Likelihood likelihood() {
        return new Likelihood(this);
    }

    /**
     * Fits from the initial values: the likelihood is minimized by {@link Lbfgsb}, then the uncertainty
     * is computed from the Hessian at the optimum (null in the result, with the reason, when it fails).
     */
    public FitResult fit(OptimizerOptions options, OptimizationListener listener) {
        try (Likelihood l = likelihood()) {
            return l.fit(initialTheta(), options, listener, true);
        }
    }
}
