package org.sundials4j.ensemble;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sundials4j.ode.CvodesSolver;
import org.sundials4j.ode.Gradient;
import org.sundials4j.ode.GradientSolver;
import org.sundials4j.ode.SensitivityMethod;
import org.sundials4j.ode.SensitivityOptions;
import org.sundials4j.ode.Solution;
import org.sundials4j.ode.SolverOptions;
import org.sundials4j.problems.Objective;
import org.sundials4j.problems.Objectives;
import org.sundials4j.problems.Rober;
import org.sundials4j.tape.TapeIntegrand;
import org.sundials4j.tape.TapeLoss;
import org.sundials4j.tape.TapeOdeModel;
import org.sundials4j.tape.Var;

/**
 * {@link OdeEnsemble} on real solves: every member's answer equals a plain sequential loop's, where
 * each member gets a fresh solver, to the last bit, for 1, 2 and 8 threads; the summed gradient equals
 * the pairwise sum of the sequential gradients; sums and layout against closed forms; a member with
 * NaN parameters is reported with its index while the others complete.
 */
class OdeEnsembleTest {

    /** ROBER with log-normal rate constants (ω = 0.3), G = ∫₀^50 y3 dt (cvsRoberts_ASAi_dns's short run). */
    static List<Member> roberPopulation(int size) {
        LogNormalPopulation pop = new LogNormalPopulation(Rober.PARAMETERS, new double[] {0.3, 0.3, 0.3}, 2024);
        List<Member> m = new ArrayList<>();
        for (int i = 0; i < size; i++)
            m.add(new Member(0, Rober.Y0, pop.parameters(i), new double[] {Rober.GRADIENT_SHORT_FINAL_TIME}));
        return m;
    }

    static Objective rober(SensitivityMethod method) {
        Objective o = Objectives.rober();
        return new Objective(o.problem(), o.times(), o.loss(), o.integrand(), o.options(), o.sensitivity().withMethod(method));
    }

    static OdeEnsemble ensemble(Objective o, int threads) {
        return new OdeEnsemble(o.model(), o.loss(), o.integrand(), o.options(), o.sensitivity(),
                EnsembleOptions.defaults().withThreads(threads));
    }

    /** The reference: a plain loop, a fresh solver for every member. */
    static Gradient sequentialGradient(Objective o, Member m) {
        try (GradientSolver gs = new GradientSolver(o.model(), o.loss(), o.integrand(), o.options(), o.sensitivity())) {
            return gs.gradient(m.t0(), m.y0(), m.params(), m.times());
        }
    }

    @ParameterizedTest
    @EnumSource(value = SensitivityMethod.class, names = {"ADJOINT", "FORWARD"})
    void everyMemberAndTheSumEqualTheSequentialLoopBitForBit(SensitivityMethod method) {
        Objective o = rober(method);
        List<Member> members = roberPopulation(24);
        double[][] seq = new double[members.size()][];
        for (int i = 0; i < seq.length; i++) {
            Gradient g = sequentialGradient(o, members.get(i));
            assertEquals(method, g.method());
            seq[i] = GradientSum.pack(g);
        }
        double[] seqSum = TreeSumProperties.pairwise(seq, 0, seq.length);
        for (int threads : new int[] {1, 2, 8}) {
            try (OdeEnsemble ens = ensemble(o, threads)) {
                for (int round = 0; round < 2; round++) { // the second round reuses every thread's solver
                    EnsembleResult<Gradient> r = ens.gradients(members);
                    assertTrue(r.allSucceeded(), r.failures().toString());
                    for (int i = 0; i < seq.length; i++)
                        assertArrayEquals(seq[i], GradientSum.pack(r.get(i)), 0.0,
                                method + ", " + threads + " threads, round " + round + ", member " + i);
                    assertArrayEquals(seqSum, r.sum(), 0.0, method + ", " + threads + " threads: the sum");
                    GradientSum total = ens.total(r);
                    assertEquals(seqSum[0], total.loss(), 0.0);
                    assertEquals(3, total.params().length);
                    assertEquals(3, total.initialState().length);
                    assertEquals(members.size(), total.members());
                }
            }
        }
    }

    @Test
    void solvesAndLossesEqualFreshSolversBitForBit() {
        Objective o = Objectives.rober();
        List<Member> members = roberPopulation(12);
        Solution[] seqSolve = new Solution[members.size()];
        double[] seqLoss = new double[members.size()];
        for (int i = 0; i < members.size(); i++) {
            Member m = members.get(i);
            try (CvodesSolver s = new CvodesSolver(o.model(), o.options());
                 GradientSolver gs = new GradientSolver(o.model(), o.loss(), o.integrand(), o.options(), o.sensitivity())) {
                seqSolve[i] = s.solve(m.t0(), m.y0(), m.params(), m.times());
                seqLoss[i] = gs.loss(m.t0(), m.y0(), m.params(), m.times());
            }
        }
        for (int threads : new int[] {1, 2, 8}) {
            try (OdeEnsemble ens = ensemble(o, threads)) {
                for (int round = 0; round < 2; round++) {
                    EnsembleResult<Solution> s = ens.solves(members);
                    EnsembleResult<Double> l = ens.losses(members);
                    double[][] loss = new double[members.size()][];
                    for (int i = 0; i < members.size(); i++) {
                        assertArrayEquals(seqSolve[i].state(0), s.get(i).state(0), 0.0, threads + " threads, member " + i);
                        assertEquals(seqSolve[i].statistics().steps(), s.get(i).statistics().steps());
                        assertEquals(seqLoss[i], l.get(i), 0.0, threads + " threads, member " + i);
                        loss[i] = new double[] {seqLoss[i]};
                    }
                    assertNull(s.sum());
                    assertArrayEquals(TreeSumProperties.pairwise(loss, 0, loss.length), l.sum(), 0.0);
                }
            }
        }
    }

    /**
     * y' = -k y, L = y(T)² + ∫₀^T y dt, so y(T) = y0 e^{-kT}, ∫ = y0 (1 - e^{-kT})/k:
     * dL/dk = -2T y0² e^{-2kT} + y0 (T e^{-kT}/k - (1 - e^{-kT})/k²), dL/dy0 = 2 y0 e^{-2kT} + (1 - e^{-kT})/k.
     * Checks the losses, the summed gradient and its layout [loss, dL/dp, dL/dy0] against these.
     */
    @ParameterizedTest
    @EnumSource(value = SensitivityMethod.class, names = {"ADJOINT", "FORWARD"})
    void sumsMatchTheClosedFormOfLinearDecay(SensitivityMethod method) {
        TapeOdeModel decay = TapeOdeModel.record(1, 1, (tape, t, y, p) -> new Var[] {p.get(0).neg().times(y.get(0))},
                0.0, new double[] {1}, new double[] {1});
        TapeLoss last = TapeLoss.of((tape, t, y, p) -> y[y.length - 1].get(0).square());
        TapeIntegrand area = TapeIntegrand.of(1, 1, (tape, t, y, p) -> y.get(0));
        SolverOptions opts = SolverOptions.defaults().withRtol(1e-11).withAtol(1e-13);
        SensitivityOptions sens = SensitivityOptions.defaults().withMethod(method)
                .withBackwardTolerances(1e-11, 1e-13).withQuadratureTolerances(1e-11, 1e-13);
        double t1 = 2;
        List<Member> members = new ArrayList<>();
        double loss = 0, dk = 0, dy0 = 0;
        for (int i = 0; i < 20; i++) {
            double k = 0.5 + 0.1 * i, y0 = 1 + 0.25 * (i % 4);
            members.add(new Member(0, new double[] {y0}, new double[] {k}, new double[] {t1}));
            double e = Math.exp(-k * t1);
            loss += y0 * y0 * e * e + y0 * (1 - e) / k;
            dk += -2 * t1 * y0 * y0 * e * e + y0 * (t1 * e / k - (1 - e) / (k * k));
            dy0 += 2 * y0 * e * e + (1 - e) / k;
        }
        try (OdeEnsemble ens = new OdeEnsemble(decay, last, area, opts, sens, EnsembleOptions.defaults().withThreads(2))) {
            GradientSum g = ens.total(ens.gradients(members).orThrow());
            assertEquals(loss, g.loss(), 1e-8 * loss);
            assertEquals(dk, g.params()[0], 1e-6 * Math.abs(dk));
            assertEquals(dy0, g.initialState()[0], 1e-6 * Math.abs(dy0));
            assertEquals(loss, ens.losses(members).sum()[0], 1e-8 * loss);
        }
    }

    @Test
    void aMemberWithNaNParametersIsReportedWithItsIndexAndTheOthersComplete() {
        Objective o = Objectives.rober();
        List<Member> members = new ArrayList<>(roberPopulation(10));
        members.set(7, new Member(0, Rober.Y0, new double[] {0.04, Double.NaN, 3e7}, new double[] {50}));
        double[][] seq = new double[members.size()][];
        for (int i = 0; i < seq.length; i++) if (i != 7) seq[i] = GradientSum.pack(sequentialGradient(o, members.get(i)));
        try (OdeEnsemble ens = ensemble(o, 2)) {
            EnsembleResult<Gradient> r = ens.gradients(members);
            assertEquals(1, r.failures().size());
            MemberFailure f = r.failures().get(0);
            assertEquals(7, f.index());
            assertTrue(f.error() instanceof IllegalArgumentException, f.error().toString());
            assertTrue(f.error().getMessage().contains("params[1]") && f.error().getMessage().contains("NaN"), f.error().getMessage());
            for (int i = 0; i < seq.length; i++)
                if (i != 7) assertArrayEquals(seq[i], GradientSum.pack(r.get(i)), 0.0, "member " + i);
            assertNull(r.results().get(7));
            assertEquals(9, r.summed());
            assertArrayEquals(TreeSumProperties.pairwise(seq, 0, seq.length), r.sum(), 0.0);
            assertEquals(9, ens.total(r).members());
        }
        try (OdeEnsemble ens = new OdeEnsemble(o.model(), o.loss(), o.integrand(), o.options(), o.sensitivity(),
                EnsembleOptions.defaults().withThreads(1).withFailFast(true))) {
            EnsembleException e = assertThrows(EnsembleException.class, () -> ens.gradients(members));
            assertEquals(7, e.firstIndex());
            assertTrue(e.getMessage().startsWith("member 7 failed"), e.getMessage());
        }
    }

    @Test
    void badSelectionsAreRefusedAtConstruction() {
        Objective o = Objectives.rober();
        assertThrows(IllegalArgumentException.class, () -> new OdeEnsemble(o.model(), o.loss(), o.integrand(), o.options(),
                o.sensitivity().withParameters(5), EnsembleOptions.defaults()));
    }
}
