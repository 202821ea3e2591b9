package org.sundials4j.problems;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sundials4j.tape.FiniteDifferences.assertAllClose;

import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.sundials4j.ode.SparsityPattern;
import org.sundials4j.tape.TapeOdeModel;

/** Sparsity patterns read off the tape, against the stencils written out by hand, and the band fill. */
class StructureTest {

    @ParameterizedTest(name = "N = {0}")
    @ValueSource(ints = {3, 4, 8, 16})
    void brusselatorPatternIsExactlyTheFivePointStencil(int n) {
        TapeOdeModel model = Brusselator2d.problem(n).tapeModel();
        SparsityPattern pattern = model.sparsity();
        int size = 2 * n * n;
        int expectedNonZeros = 0;
        for (int j = 0; j < n; j++)
            for (int i = 0; i < n; i++)
                for (int s = 0; s < 2; s++) {
                    int row = index(n, i, j) + s;
                    Set<Integer> cols = new TreeSet<>();
                    cols.add(index(n, i, j));      // u at the same point
                    cols.add(index(n, i, j) + 1);  // v at the same point
                    cols.add(index(n, i + 1, j) + s);
                    cols.add(index(n, i - 1, j) + s);
                    cols.add(index(n, i, j + 1) + s);
                    cols.add(index(n, i, j - 1) + s);
                    expectedNonZeros += cols.size();
                    for (int c = 0; c < size; c++)
                        assertEquals(cols.contains(c), pattern.contains(row, c), "N=" + n + " entry (" + row + ", " + c + ")");
                }
        assertEquals(expectedNonZeros, pattern.nonZeros());
        // colouring: a bounded number of sweeps, independent of the grid size
        assertTrue(model.jacobianSweeps() <= 12, "sweeps " + model.jacobianSweeps());
    }

    /** State index of u at grid point (i, j), written independently of Brusselator2d.uIndex. */
    private static int index(int n, int i, int j) {
        int x = ((i % n) + n) % n, y = ((j % n) + n) % n;
        return 2 * (x + n * y);
    }

    @Test
    void advectionDiffusionIsTridiagonalAndFillsABand() {
        Problem problem = AdvectionDiffusion.problem();
        TapeOdeModel model = problem.tapeModel();
        SparsityPattern pattern = model.sparsity();
        int n = AdvectionDiffusion.N;
        assertEquals(1, pattern.lowerBandwidth());
        assertEquals(1, pattern.upperBandwidth());
        assertEquals(3 * n - 2, pattern.nonZeros());
        assertEquals(3, model.jacobianSweeps());
        double[] y = new double[n];
        for (int i = 0; i < n; i++) y[i] = Math.sin(i);
        double[] p = problem.parameters();
        int upper = 1, lower = 1, storedUpper = 2, ldim = storedUpper + lower + 1;
        double[] band = new double[n * ldim];
        model.jacobianBand(0, y, p, upper, lower, storedUpper, band);
        double[] dense = new double[n * n];
        model.jacobianDense(0, y, p, dense);
        double[] fromBand = new double[n * n];
        for (int j = 0; j < n; j++)
            for (int i = Math.max(0, j - upper); i <= Math.min(n - 1, j + lower); i++)
                fromBand[j * n + i] = band[j * ldim + i - j + storedUpper];
        assertAllClose(dense, fromBand, 0, 0, "band vs dense");
        // closed form: D/h² (1, -2, 1) + u/h (1, -1, 0), with the outflow row c_{N+1} = c_N
        double h = 1.0 / (n + 1), d = p[0] / (h * h), u = p[1] / h;
        assertEquals(-2 * d - u, dense[5 * n + 5], 1e-9);
        assertEquals(d + u, dense[4 * n + 5], 1e-9);
        assertEquals(d, dense[6 * n + 5], 1e-9);
        assertEquals(-d - u, dense[(n - 1) * n + n - 1], 1e-9);
    }

    @Test
    void bandFillRejectsABandTooNarrowForThePattern() {
        TapeOdeModel model = Brusselator2d.problem(4).tapeModel();
        int n = model.stateCount();
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> model.jacobianBand(0, Brusselator2d.initialState(4), Brusselator2d.PARAMETERS, 1, 1, 1, new double[n * 3]));
        assertTrue(e.getMessage().contains("upper = 1"), e.getMessage());
    }
}
