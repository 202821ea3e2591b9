package org.sundials4j.bench.tape;

import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.sundials4j.ode.Event;
import org.sundials4j.ode.EventFunction;
import org.sundials4j.tape.TapeOdeModel;
import org.sundials4j.tape.Var;

/**
 * One root-function evaluation of a piecewise model with {@code m} switches, as CVODES asks for it:
 * every switch's trigger at the same {@code (t, y, p)}, on the triggers a solver gets (its model copy's,
 * each through {@code forSolver}). The model is a chain of m states, each with one
 * {@code select} and a few other operations, so the switching program grows with m: a trigger that
 * replays the whole program costs O(m²) per evaluation, one replay shared by all costs O(m).
 */
public class SwitchingTriggersBenchmark extends TapeBenchmark {
    @Param({"1", "4", "16"})
    public int m;

    private EventFunction[] triggers;
    private double[] y, p;

    @Setup
    public void setup() {
        int n = m;
        TapeOdeModel model = TapeOdeModel.record(n, n, (tape, t, yy, pp) -> {
            Var[] out = new Var[n];
            for (int i = 0; i < n; i++) {
                Var prev = yy.get(i == 0 ? n - 1 : i - 1);
                out[i] = yy.get(i).isGreaterThan(pp.get(i)).select(prev.minus(yy.get(i)).times(0.5), prev.times(yy.get(i)).sin());
            }
            return out;
        }, 0, new double[n], new double[n]);
        List<Event> events = model.forSolver().events();
        triggers = new EventFunction[events.size()];
        for (int k = 0; k < triggers.length; k++) triggers[k] = events.get(k).trigger().forSolver();
        y = new double[n];
        p = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = 0.1 * (i + 1);
            p[i] = 0.05 * (i + 2);
        }
    }

    /** The root callback's loop: the state moves a little between calls (a new point each time). */
    @Benchmark
    public double rootEvaluation() {
        y[0] += 1e-12;
        double s = 0;
        for (EventFunction g : triggers) s += g.value(0.5, y, p);
        return s;
    }
}
