package org.sundials4j.ode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sundials4j.tape.TapeOdeModel;
import org.sundials4j.tape.Var;

/**
 * Guarded {@code if}s ({@code x.gt(θ)}) in a solved model are switches, like selects: the guard's
 * comparison is a root function, its branch is held within a segment (a guard that would flip
 * inside one does not re-record), and the other branch is recorded once, at the switch. The model
 * of {@link BranchFreezingTest} written with a guard: closed forms, central differences, and bit
 * for bit the select version (both record the same arithmetic per branch).
 */
class GuardSwitchTest {
    static TapeOdeModel guarded() {
        return TapeOdeModel.record(1, 3, (tape, t, y, p) -> new Var[] {
                y.get(0).gt(p.get(0)) ? p.get(1).times(y.get(0)) : p.get(2)}, 0, new double[] {BranchFreezingTest.X0},
                BranchFreezingTest.P);
    }

    /** Keeps the instance a solver uses, to read its re-recording count. */
    static final class Kept extends BranchFreezingTest.Recording {
        final List<Kept> copies;

        Kept(DifferentiableOdeModel base, List<double[]> calls, List<Kept> copies) {
            super(base, calls);
            this.copies = copies;
        }

        @Override
        public DifferentiableOdeModel forSolver() {
            Kept k = new Kept(base.forSolver(), calls, copies);
            copies.add(k);
            return k;
        }

        int rerecords() {
            return ((TapeOdeModel) base).rerecordCount();
        }
    }

    @Test
    void aGuardIsASwitchAndRecordsEachBranchOnce() {
        List<double[]> calls = new ArrayList<>();
        List<Kept> copies = new ArrayList<>();
        TapeOdeModel m = guarded();
        assertEquals(1, m.events().size(), "the guard's comparison is a switch");
        double tau = (BranchFreezingTest.TH - BranchFreezingTest.X0) / BranchFreezingTest.B;
        try (CvodesSolver s = new CvodesSolver(new Kept(m, calls, copies), SolverOptions.defaults().withRtol(1e-6).withAtol(1e-9))) {
            Kept used = copies.get(0);
            Solution sol = s.solve(new double[] {BranchFreezingTest.X0}, BranchFreezingTest.P, new double[] {BranchFreezingTest.END});
            assertEquals(tau, sol.events().get(0).time(), 1e-7);
            int pastTheSwitch = 0;
            for (double[] c : calls) {
                assertEquals(c[2] == 1 ? c[5] : c[6], c[4], 0.0, "t = " + c[0] + ": the held branch's formula");
                if (c[2] != c[3]) pastTheSwitch++;
            }
            assertTrue(pastTheSwitch > 0, "some evaluations lie past the switch, where the live guard has flipped");
            assertEquals(1, used.rerecords(), "one recording, of the other branch at the switch; none inside a segment");
            for (int run = 0; run < 3; run++)
                s.solve(new double[] {BranchFreezingTest.X0}, BranchFreezingTest.P, new double[] {BranchFreezingTest.END});
            assertTrue(used.rerecords() <= 2, "each branch recorded once, then reused: " + used.rerecords());
        }
    }

    @ParameterizedTest
    @EnumSource(value = SensitivityMethod.class, names = {"FORWARD", "ADJOINT"})
    void againstClosedFormAndCentralDifferences(SensitivityMethod method) {
        BranchFreezingTest.checkAgainstReferences(BranchFreezingTest.closedForm(BranchFreezingTest.P, BranchFreezingTest.X0,
                BranchFreezingTest.END), GuardSwitchTest::guarded, method, BranchFreezingTest.P, BranchFreezingTest.X0);
    }

    @Test
    void nativeAndJavaAndTheSelectVersionAgreeBitForBit() {
        BranchFreezingTest.Run select = BranchFreezingTest.runOn("native", BranchFreezingTest::model);
        BranchFreezingTest.Run nat = BranchFreezingTest.runOn("native", GuardSwitchTest::guarded);
        BranchFreezingTest.Run java = BranchFreezingTest.runOn("java", GuardSwitchTest::guarded);
        assertTrue(nat.nativeCalls() > 0, nat.toString());
        assertNull(nat.reason(), "the native replay stayed on through the guard's switch");
        for (BranchFreezingTest.Run other : new BranchFreezingTest.Run[] {java, select}) {
            assertArrayEquals(other.states(), nat.states(), 0.0);
            assertArrayEquals(other.forward(), nat.forward(), 0.0);
            assertArrayEquals(other.adjoint(), nat.adjoint(), 0.0);
            assertEquals(other.eventTime(), nat.eventTime(), 0.0);
        }
    }
}
