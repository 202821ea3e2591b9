package org.sundials4j.problems;

import org.sundials4j.tape.OdeDefinition;
import org.sundials4j.tape.Var;

/**
 * POLLU, the air pollution model of Verwer (1994) from the Hairer–Wanner test set: 20 species, 25
 * mass-action reactions {@code r_j = k_j y_a (y_b)}. The reactions are data here ({@link #REACTANTS},
 * {@link #STOICHIOMETRY}) so the tape definition and the hand-written Jacobian of {@link PolluModel}
 * share one transcription, while {@link PolluModel#rhs} spells the equations out as the problem set
 * writes them; a test checks the two agree.
 */
public final class Pollu {
    public static final String NAME = "pollu";
    public static final int STATES = 20;
    /** Rate constants k1..k25. */
    public static final double[] PARAMETERS = {.35, 26.6, 1.23e4, 8.6e-4, 8.2e-4, 1.5e4, 1.3e-4, 2.4e4, 1.65e4, 9e3,
            .022, 1.2e4, 1.88, 1.63e4, 4.8e6, 3.5e-4, .0175, 1e8, 4.44e11, 1240, 2.1, 5.78, .0474, 1780, 3.12};
    /** Not given by the problem set: the project's choice (concentrations go down to ~1e-9). */
    public static final double RTOL = 1e-6, ATOL = 1e-10;
    public static final double FINAL_TIME = 60;
    /** Published reference values y1(60), y8(60) of the test set. */
    public static final double Y1_AT_60 = 0.05646255480022769, Y8_AT_60 = 0.3245075353396018;

    /** 0-based reactant species of each reaction (one or two). */
    static final int[][] REACTANTS = {
            {0}, {1, 3}, {4, 1}, {6}, {6}, {6, 5}, {8}, {8, 5}, {10, 1}, {10, 0}, {12}, {9, 1}, {13},
            {0, 5}, {2}, {3}, {3}, {15}, {15}, {16, 5}, {18}, {18}, {0, 3}, {18, 0}, {19}};

    /**
     * For each species, the 1-based reactions producing (+j) or consuming (-j) it; a reaction listed
     * twice counts twice (2 r4 in y5', 2 r18 in y6').
     */
    static final int[][] STOICHIOMETRY = {
            {-1, -10, -14, -23, -24, 2, 3, 9, 11, 12, 22, 25},
            {-2, -3, -9, -12, 1, 21},
            {-15, 1, 17, 19, 22},
            {-2, -16, -17, -23, 15},
            {-3, 4, 4, 6, 7, 13, 20},
            {-6, -8, -14, -20, 3, 18, 18},
            {-4, -5, -6, 13},
            {4, 5, 6, 7},
            {-7, -8},
            {-12, 7, 9},
            {-9, -10, 8, 11},
            {9},
            {-11, 10},
            {-13, 12},
            {14},
            {-18, -19, 16},
            {-20},
            {20},
            {-21, -22, -24, 23, 25},
            {-25, 24}};

    private Pollu() {
    }

    public static double[] initialState() {
        double[] y = new double[STATES];
        y[1] = 0.2;
        y[3] = 0.04;
        y[6] = 0.1;
        y[7] = 0.3;
        y[8] = 0.01;
        y[16] = 0.007;
        return y;
    }

    /** The times of the loss, {1, 5, 10, 30, 60}; the last is the published reference point. */
    public static double[] outputTimes() {
        return new double[]{1, 5, 10, 30, 60};
    }

    public static OdeDefinition definition() {
        return (tape, t, y, k) -> {
            Var[] r = new Var[REACTANTS.length];
            for (int j = 0; j < r.length; j++) {
                int[] s = REACTANTS[j];
                r[j] = k.get(j).times(y.get(s[0]));
                if (s.length == 2) r[j] = r[j].times(y.get(s[1]));
            }
            Var[] out = new Var[STATES];
            for (int i = 0; i < STATES; i++) {
                Var sum = null;
                for (int signed : STOICHIOMETRY[i]) {
                    Var rate = r[Math.abs(signed) - 1];
                    sum = sum == null ? (signed > 0 ? rate : rate.neg()) : signed > 0 ? sum.plus(rate) : sum.minus(rate);
                }
                out[i] = sum;
            }
            return out;
        };
    }

    public static Problem problem() {
        return new Problem(NAME, PARAMETERS, initialState(), outputTimes(), RTOL, new double[]{ATOL}, definition());
    }
}
