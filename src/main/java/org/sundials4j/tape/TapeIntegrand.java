package org.sundials4j.tape;

import org.sundials4j.ode.Integrand;
import org.sundials4j.ode.ReplayProgram;

/**
 * An {@link Integrand} {@code g(t, y, p)} recorded on a tape: value by replay, {@code (g_y, g_p)} by
 * one reverse sweep. Tape inputs: {@code t}, then {@code y}, then {@code p}.
 */
public final class TapeIntegrand implements Integrand, ReplayProgram.Source {
    private final IntegrandDefinition definition;
    private final int n, np;
    private TapeFunction function;
    private final double[] x, grad, value = new double[1];

    private TapeIntegrand(IntegrandDefinition definition, int n, int np) {
        this.definition = definition;
        this.n = n;
        this.np = np;
        this.x = new double[1 + n + np];
        this.grad = new double[1 + n + np];
    }

    /** An integrand over {@code n} states and {@code np} parameters. */
    public static TapeIntegrand of(int n, int np, IntegrandDefinition definition) {
        if (definition == null) throw new IllegalArgumentException("definition is null");
        if (n <= 0) throw new IllegalArgumentException("n must be positive, got " + n);
        if (np < 0) throw new IllegalArgumentException("np must be >= 0, got " + np);
        return new TapeIntegrand(definition, n, np);
    }

    @Override
    public TapeIntegrand forSolver() {
        return new TapeIntegrand(definition, n, np);
    }

    private void load(double t, double[] y, double[] p) {
        x[0] = t;
        System.arraycopy(y, 0, x, 1, n);
        if (np > 0) System.arraycopy(p, 0, x, 1 + n, np);
        if (function == null) {
            function = TapeFunction.record(x.length,
                    (tape, in) -> new Var[] {definition.apply(tape, in.get(0), in.slice(1, n), in.slice(1 + n, np))}, x);
        }
    }

    /** The recording for the native replay; null until the first evaluation records it. */
    @Override
    public ReplayProgram replayProgram() {
        return function == null ? null : function.replayProgram();
    }

    @Override
    public double value(double t, double[] y, double[] p) {
        load(t, y, p);
        function.value(x, value);
        return value[0];
    }

    @Override
    public double gradient(double t, double[] y, double[] p, double[] gy, double[] gp) {
        double g = gradient(t, y, p, grad);
        System.arraycopy(grad, 1, gy, 0, n);
        System.arraycopy(grad, 1 + n, gp, 0, np);
        return g;
    }

    /**
     * Returns {@code g} and writes its whole gradient {@code [g_t, g_y, g_p]} into {@code grad}
     * (length {@code 1 + n + np}): the layout of an event trigger's ({@link TapeEvents#trigger}).
     */
    double gradient(double t, double[] y, double[] p, double[] grad) {
        load(t, y, p);
        return function.gradient(x, grad);
    }
}
