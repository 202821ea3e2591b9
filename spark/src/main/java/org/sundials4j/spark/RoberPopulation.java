package org.sundials4j.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.sundials4j.ensemble.GradientSum;
import org.sundials4j.ensemble.LogNormalPopulation;
import org.sundials4j.ensemble.Member;
import org.sundials4j.ensemble.OdeEnsemble;
import org.sundials4j.ensemble.EnsembleOptions;
import org.sundials4j.ode.GradientSolver;
import org.sundials4j.problems.Objective;
import org.sundials4j.problems.Objectives;
import org.sundials4j.problems.Rober;

/**
 * A virtual population of ROBER "subjects": the problem set's rate constants with log-normal
 * variability ({@code ω} on each log rate constant), each subject's objective the problem set's
 * {@code G = ∫₀^T y3 dt} with its gradient with respect to the 3 rate constants and the 3 initial
 * states. Only this small record travels to the executors; each rebuilds the objective and
 * regenerates subject {@code i} from {@code (seed, i)}.
 *
 * @param finalTime T (the problem set uses 4e7; {@code cvsRoberts_ASAi_dns} also runs 50)
 */
public record RoberPopulation(int size, double omega, long seed, double finalTime) implements Serializable {
    public RoberPopulation {
        if (size < 0) throw new IllegalArgumentException("size = " + size + " < 0");
        if (!(finalTime > 0) || Double.isInfinite(finalTime))
            throw new IllegalArgumentException("finalTime = " + finalTime + " is not positive and finite");
    }

    /** The population of the tests and of tests/spark-cluster.sh: ω = 0.3, seed 2024, T = 50. */
    public static RoberPopulation standard(int size) {
        return new RoberPopulation(size, 0.3, 2024, Rober.GRADIENT_SHORT_FINAL_TIME);
    }

    public LogNormalPopulation population() {
        return new LogNormalPopulation(Rober.PARAMETERS, new double[] {omega, omega, omega}, seed);
    }

    /** The problem set's ROBER objective (tolerances, checkpointing) with the integral ending at T. */
    public Objective objective() {
        Objective o = Objectives.rober();
        return new Objective(o.problem(), new double[] {finalTime}, o.loss(), o.integrand(), o.options(), o.sensitivity());
    }

    public Member member(int index) {
        if (index < 0 || index >= size) throw new IllegalArgumentException("subject " + index + " is outside [0, " + size + ")");
        return new Member(0, Rober.Y0, population().parameters(index), new double[] {finalTime});
    }

    public List<Member> members() {
        List<Member> m = new ArrayList<>(size);
        for (int i = 0; i < size; i++) m.add(member(i));
        return m;
    }

    /** A solver for one task (the {@link WorkerFactory} of the Spark job). */
    public GradientSolver newSolver() {
        Objective o = objective();
        return new GradientSolver(o.model(), o.loss(), o.integrand(), o.options(), o.sensitivity());
    }

    /** Subject {@code index}'s {@code [G, dG/dp, dG/dy0]} (the {@link MemberVector} of the Spark job). */
    public double[] gradient(GradientSolver solver, int index) {
        Member m = member(index);
        return GradientSum.pack(solver.gradient(m.t0(), m.y0(), m.params(), m.times()));
    }

    /** The same population on this machine's cores. */
    public OdeEnsemble localEnsemble(int threads) {
        Objective o = objective();
        return new OdeEnsemble(o.model(), o.loss(), o.integrand(), o.options(), o.sensitivity(),
                EnsembleOptions.defaults().withThreads(threads));
    }
}
