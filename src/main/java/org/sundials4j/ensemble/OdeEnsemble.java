package org.sundials4j.ensemble;

import java.util.List;
import java.util.Objects;
import org.sundials4j.ode.CvodesSolver;
import org.sundials4j.ode.DifferentiableOdeModel;
import org.sundials4j.ode.Gradient;
import org.sundials4j.ode.GradientSolver;
import org.sundials4j.ode.Integrand;
import org.sundials4j.ode.OutputLoss;
import org.sundials4j.ode.SensitivityOptions;
import org.sundials4j.ode.Solution;
import org.sundials4j.ode.SolverOptions;

/**
 * Solves, losses and gradients of one model and one objective for many {@link Member}s (parameter
 * sets, initial states, output times) in parallel: an {@link Ensemble} whose workers are a
 * {@link GradientSolver} and a {@link CvodesSolver} per thread, made on first use and reused.
 *
 * <pre>{@code
 * try (OdeEnsemble ens = new OdeEnsemble(model, loss, null, options, sens, EnsembleOptions.defaults())) {
 *     EnsembleResult<Gradient> r = ens.gradients(members);
 *     GradientSum total = ens.total(r);               // Σ loss, Σ dL/dp, Σ dL/dy0 over the members
 *     for (MemberFailure f : r.failures()) ...        // index and typed exception of each failure
 * }
 * }</pre>
 *
 * Objectives that differ per member in more than these inputs (each experiment its own data or
 * dosing) use {@link Ensemble} directly, with a worker holding what each member needs.
 */
public final class OdeEnsemble implements AutoCloseable {
    private final Ensemble<Workspace> ensemble;
    private final int selectedParams;
    private final int selectedStates;

    /** A thread's solvers, made on first use. */
    private static final class Workspace implements AutoCloseable {
        private final DifferentiableOdeModel model;
        private final SolverOptions options;
        private final OutputLoss loss;
        private final Integrand integrand;
        private final SensitivityOptions sens;
        private GradientSolver gradients;
        private CvodesSolver solves;

        Workspace(DifferentiableOdeModel model, OutputLoss loss, Integrand integrand, SolverOptions options,
                  SensitivityOptions sens) {
            this.model = model;
            this.loss = loss;
            this.integrand = integrand;
            this.options = options;
            this.sens = sens;
        }

        GradientSolver gradients() {
            if (gradients == null) gradients = new GradientSolver(model, loss, integrand, options, sens);
            return gradients;
        }

        CvodesSolver solves() {
            if (solves == null) solves = new CvodesSolver(model, options);
            return solves;
        }

        @Override
        public void close() {
            try {
                if (gradients != null) gradients.close();
            } finally {
                if (solves != null) solves.close();
            }
        }
    }

    /**
     * @param loss      loss of the states at the output times, or null for none
     * @param integrand integrand of an integral functional, or null for none; with neither, only
     *                  {@link #solves} works
     */
    public OdeEnsemble(DifferentiableOdeModel model, OutputLoss loss, Integrand integrand, SolverOptions options,
                       SensitivityOptions sens, EnsembleOptions ensembleOptions) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(sens, "sens");
        this.selectedParams = sens.parameters(model.parameterCount()).length; // validates the selection
        this.selectedStates = sens.initialStates(model.stateCount()).length;
        this.ensemble = new Ensemble<>(() -> new Workspace(model, loss, integrand, options, sens), ensembleOptions);
    }

    /** Each member's gradient; the sum is {@link GradientSum#pack}'s vector, read by {@link #total}. */
    public EnsembleResult<Gradient> gradients(List<Member> members) {
        List<Member> m = List.copyOf(members);
        return ensemble.mapAndSum(m.size(), (w, i) -> {
            Member x = m.get(i);
            return w.gradients().gradient(x.t0(), x.y0(), x.params(), x.times());
        }, GradientSum::pack);
    }

    /** Each member's loss (no sensitivities); the sum is {@code [Σ loss]}. */
    public EnsembleResult<Double> losses(List<Member> members) {
        List<Member> m = List.copyOf(members);
        return ensemble.mapAndSum(m.size(), (w, i) -> {
            Member x = m.get(i);
            return w.gradients().loss(x.t0(), x.y0(), x.params(), x.times());
        }, v -> new double[] {v});
    }

    /** Each member's solution at its output times. */
    public EnsembleResult<Solution> solves(List<Member> members) {
        List<Member> m = List.copyOf(members);
        return ensemble.map(m.size(), (w, i) -> {
            Member x = m.get(i);
            return w.solves().solve(x.t0(), x.y0(), x.params(), x.times());
        });
    }

    /** The summed loss and gradient of a {@link #gradients} run (zero when no member succeeded). */
    public GradientSum total(EnsembleResult<Gradient> result) {
        return GradientSum.unpack(result.sum(), selectedParams, selectedStates, result.summed());
    }

    /** Closes every thread's solvers (waiting for running members) and ends the threads. */
    @Override
    public void close() {
        ensemble.close();
    }
}
