package org.sundials4j.readme;

// README:ensemble
import java.util.ArrayList;
import java.util.List;
import org.sundials4j.ensemble.EnsembleOptions;
import org.sundials4j.ensemble.EnsembleResult;
import org.sundials4j.ensemble.GradientSum;
import org.sundials4j.ensemble.LogNormalPopulation;
import org.sundials4j.ensemble.Member;
import org.sundials4j.ensemble.MemberFailure;
import org.sundials4j.ensemble.OdeEnsemble;
import org.sundials4j.ode.Gradient;
import org.sundials4j.ode.Integrand;
import org.sundials4j.ode.OutputLoss;
import org.sundials4j.ode.SensitivityOptions;
import org.sundials4j.ode.SolverOptions;
import org.sundials4j.tape.TapeOdeModel;

// README:end

/**
 * README, "Ensembles on every core": adjoint gradients of a log-normal population of ROBER's rate
 * constants, with the model, loss and options of the earlier examples.
 */
final class EnsembleExample {
    private EnsembleExample() {}

    record Result(EnsembleResult<Gradient> gradients, List<Member> members, Gradient g17, GradientSum total) {}

    static Result run(TapeOdeModel model, OutputLoss loss, Integrand integrand, SolverOptions opts,
                      SensitivityOptions sens, double[] y0, double[] times, int count) {
        Result result;
        // README:ensemble
        LogNormalPopulation pop = new LogNormalPopulation(new double[] {0.04, 1e4, 3e7},   // typical values
                new double[] {0.3, 0.3, 0.3}, 42);                                        // ω of log p, seed
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < count; i++) members.add(new Member(0, y0, pop.parameters(i), times));  // e.g. 10_000
        try (OdeEnsemble ens = new OdeEnsemble(model, loss, integrand, opts, sens,
                EnsembleOptions.defaults().withThreads(8))) {                  // default: one per processor
            EnsembleResult<Gradient> r = ens.gradients(members);               // also solves(…), losses(…)
            Gradient g17 = r.get(17);                                           // results in input order
            GradientSum total = ens.total(r);                                   // Σ loss, Σ dL/dp, Σ dL/dy0
            for (MemberFailure f : r.failures()) System.err.println(f.index() + ": " + f.error());
            // README:end
            result = new Result(r, members, g17, total);
            // README:ensemble
        }
        // README:end
        return result;
    }
}
