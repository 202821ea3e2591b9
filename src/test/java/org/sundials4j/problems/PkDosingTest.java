package org.sundials4j.problems;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sundials4j.ode.CvodesSolver;
import org.sundials4j.ode.Dual;
import org.sundials4j.ode.EventRecord;
import org.sundials4j.ode.Gradient;
import org.sundials4j.ode.GradientSolver;
import org.sundials4j.ode.SensitivityMethod;
import org.sundials4j.ode.Solution;

/**
 * {@code pk-dosing} against its closed form (PROBLEMS.md): between events
 * {@code A_gut = a e^{-ka s}}, {@code A_c = c e^{-ks} + ka a (e^{-ks} - e^{-ka s})/(ka - k)}; the
 * rescue times are the downward crossings of {@code C = c_min}, found by scanning and bisecting the
 * closed form; derivatives come from dual numbers through all of it, the event times by the implicit
 * function theorem. Nothing here uses the solver's code.
 */
public class PkDosingTest {
    static final double RTOL = 1e-12, ATOL = 1e-14;
    /** Dual directions: ka, CL, V, F, A_gut(0), A_c(0), and the time direction used to solve for event times. */
    static final int DIM = 7, TIME = 6;

    /** The closed-form solution with derivatives in (p, y0). */
    public static final class Closed {
        final List<double[]> events = new ArrayList<>(); // {time, 0 dose | 1 rescue}
        final List<Dual> rescueTimes = new ArrayList<>();
        final Dual[][] outputs = new Dual[PkDosing.OUTPUT_TIMES.length][];
        /** The problem set's loss {@code Σ (C(t_k) - d_k)²}, its derivatives in directions ka, CL, V, F, A_gut(0), A_c(0). */
        public final Dual loss;
        private final Dual ka, k, v, f;

        Closed() {
            this(PkDosing.PARAMETERS);
        }

        /** At parameters {@code p = [ka, CL, V, F]}. */
        public Closed(double[] p) {
            ka = Dual.variable(p[0], 0, DIM);
            Dual cl = Dual.variable(p[1], 1, DIM);
            v = Dual.variable(p[2], 2, DIM);
            f = Dual.variable(p[3], 3, DIM);
            k = cl.div(v);
            Dual a = Dual.variable(0, 4, DIM), c = Dual.variable(0, 5, DIM);
            Dual ts = Dual.constant(0, DIM);
            a = a.plus(f.times(PkDosing.DOSE));
            events.add(new double[] {0, 0});
            double[] times = PkDosing.OUTPUT_TIMES;
            int o = 0;
            double[] ends = {12, 24, 36, PkDosing.FINAL_TIME};
            for (double tb : ends) {
                while (true) {
                    double tau = crossing(a, c, ts, tb);
                    double limit = Double.isNaN(tau) ? tb : tau;
                    for (; o < times.length && times[o] < limit; o++) outputs[o] = at(a, c, Dual.constant(times[o], DIM).minus(ts));
                    if (Double.isNaN(tau)) break;
                    Dual t = eventTime(a, c, ts, tau);
                    Dual[] y = at(a, c, t.minus(ts));
                    a = y[0].plus(f.times(PkDosing.RESCUE_DOSE));
                    c = y[1];
                    ts = t;
                    rescueTimes.add(t);
                    events.add(new double[] {tau, 1});
                }
                Dual[] y = at(a, c, Dual.constant(tb, DIM).minus(ts));
                a = y[0];
                c = y[1];
                ts = Dual.constant(tb, DIM);
                if (tb < PkDosing.FINAL_TIME) {
                    a = a.plus(f.times(PkDosing.DOSE));
                    events.add(new double[] {tb, 0});
                }
                for (; o < times.length && times[o] == tb; o++) outputs[o] = new Dual[] {a, c};
            }
            Dual l = Dual.constant(0, DIM);
            for (int j = 0; j < times.length; j++) l = l.plus(outputs[j][1].div(v).minus(PkDosing.DATA[j]).square());
            loss = l;
        }

        /** {@code [A_gut, A_c]} a time {@code s} after a segment start with {@code (a, c)}. */
        Dual[] at(Dual a, Dual c, Dual s) {
            Dual eks = k.times(s).neg().exp(), ekas = ka.times(s).neg().exp();
            return new Dual[] {a.times(ekas), c.times(eks).plus(ka.times(a).times(eks.minus(ekas)).div(ka.minus(k)))};
        }

        double g(Dual a, Dual c, Dual ts, double t) {
            return at(a, c, Dual.constant(t, DIM).minus(ts))[1].v / v.v - PkDosing.C_MIN;
        }

        /** The first downward crossing of C = c_min in (ts, tb), or NaN: a 1e-3 h scan, then bisection. */
        double crossing(Dual a, Dual c, Dual ts, double tb) {
            double lo = ts.v, glo = g(a, c, ts, lo);
            for (int i = 1; ; i++) {
                double hi = Math.min(ts.v + i * 1e-3, tb), ghi = g(a, c, ts, hi);
                if (glo > 0 && ghi <= 0) {
                    for (int it = 0; it < 200 && hi - lo > 0; it++) {
                        double mid = 0.5 * (lo + hi);
                        if (mid == lo || mid == hi) break;
                        if (g(a, c, ts, mid) > 0) lo = mid;
                        else hi = mid;
                    }
                    return hi;
                }
                if (hi >= tb) return Double.NaN;
                lo = hi;
                glo = ghi;
            }
        }

        /** τ(θ) from C(τ, θ) = c_min: dτ/dθ = -(∂C/∂θ)/(∂C/∂t). */
        Dual eventTime(Dual a, Dual c, Dual ts, double tau) {
            Dual t = Dual.variable(tau, TIME, DIM);
            Dual gd = at(a, c, t.minus(ts))[1].div(v);
            double[] d = new double[DIM];
            for (int i = 0; i < TIME; i++) d[i] = -gd.d[i] / gd.d[TIME];
            return new Dual(tau, d);
        }
    }

    static Objective tight() {
        return Objectives.pkDosing().withTolerances(RTOL, ATOL);
    }

    @Test
    void statesAndEventTimes() {
        Closed ref = new Closed();
        Objective o = tight();
        Problem p = o.problem();
        try (CvodesSolver s = new CvodesSolver(p.model(), o.options())) {
            Solution sol = s.solve(p.initialState(), p.parameters(), p.outputTimes());
            List<EventRecord> ev = sol.events();
            assertEquals(ref.events.size(), ev.size(), "events fired: " + ev);
            double worstTime = 0;
            for (int j = 0; j < ev.size(); j++) {
                double[] r = ref.events.get(j);
                assertEquals(r[1] == 0 ? "dose" : "rescue", ev.get(j).name(), "event " + j);
                assertEquals(r[0], ev.get(j).time(), 1e-7 * Math.max(1, r[0]), "time of event " + j);
                worstTime = Math.max(worstTime, Math.abs(ev.get(j).time() - r[0]) / Math.max(1, r[0]));
            }
            assertEquals(9.95, ref.rescueTimes.get(0).v, 0.01, "PROBLEMS.md's first rescue");
            assertEquals(35.77, ref.rescueTimes.get(1).v, 0.01, "PROBLEMS.md's second rescue");
            double worst = 0;
            for (int k = 0; k < sol.size(); k++)
                for (int i = 0; i < 2; i++) {
                    double exact = ref.outputs[k][i].v, got = sol.state(k)[i];
                    worst = Math.max(worst, Math.abs(got - exact) / Math.abs(exact));
                    assertEquals(exact, got, 1e-7 * Math.abs(exact), "y" + i + "(" + sol.time(k) + ")");
                }
            System.out.printf("pk-dosing closed form: states max rel err %.2e, event times max rel err %.2e%n", worst, worstTime);
        }
    }

    @ParameterizedTest
    @EnumSource(value = SensitivityMethod.class, names = {"FORWARD", "ADJOINT"})
    void fullGradient(SensitivityMethod method) {
        Closed ref = new Closed();
        Objective o = tight();
        Problem p = o.problem();
        try (GradientSolver gs = new GradientSolver(o.model(), o.loss(), o.integrand(), o.options(),
                o.sensitivity().withMethod(method))) {
            Gradient g = gs.gradient(0, p.initialState(), p.parameters(), o.times());
            assertEquals(ref.loss.v, g.loss(), 1e-7 * ref.loss.v);
            double[] got = new double[6];
            System.arraycopy(g.params(), 0, got, 0, 4);
            System.arraycopy(g.initialState(), 0, got, 4, 2);
            double worst = 0;
            for (int j = 0; j < 6; j++) {
                double exact = ref.loss.d[j];
                assertTrue(Math.abs(exact) > 1e-3, "every entry of the gradient is far from 0: " + exact);
                worst = Math.max(worst, Math.abs(got[j] - exact) / Math.abs(exact));
                assertEquals(exact, got[j], 1e-7 * Math.abs(exact), method + ": dL/dθ" + j);
            }
            System.out.printf("pk-dosing closed form: %s gradient max rel err %.2e%n", method, worst);
        }
    }
}
