package org.sundials4j.readme;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.sundials4j.ensemble.Member;
import org.sundials4j.ode.Gradient;
import org.sundials4j.ode.GradientSolver;
import org.sundials4j.ode.Integrand;
import org.sundials4j.ode.OutputLoss;
import org.sundials4j.ode.SensitivityOptions;
import org.sundials4j.ode.Solution;
import org.sundials4j.ode.SensitivityMethod;
import org.sundials4j.ode.SolverOptions;
import org.sundials4j.problems.Objective;
import org.sundials4j.sbml.Variable;
import org.sundials4j.tape.TapeIntegrand;
import org.sundials4j.tape.TapeLoss;
import org.sundials4j.tape.TapeOdeModel;

/**
 * Every code block of the README that says where it comes from ({@code <!-- from PATH#NAME -->}
 * before it) is the text between the {@code README:NAME} and {@code README:end} markers of that file,
 * regions joined as they are; every Java block must come from somewhere, or say why this build
 * cannot compile it ({@code <!-- unchecked: REASON -->}, for the separate spark/ build's API). The Java sources are
 * compiled with the tests and run below against SUNDIALS' reference outputs and independent
 * methods. Run with {@code -Dreadme.update=true} to rewrite the README's blocks from the sources.
 */
class ReadmeSnippetsTest {
    private static final Path README = Path.of("README.md");
    private static final Pattern BLOCK = Pattern.compile(
            "(<!-- from ([^#\\s]+)#([\\w-]+) -->\\n|<!-- unchecked: ([^\\n]+) -->\\n)?```(\\w*)\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern MARK = Pattern.compile("^\\s*(?://|<!--|#)\\s*README:([\\w-]+)");

    /** The text of the regions called {@code name} in {@code file}, each dedented by its first line's indent. */
    static String regions(Path file, String name) throws IOException {
        List<String> parts = new ArrayList<>();
        StringBuilder cur = null;
        int indent = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            Matcher m = MARK.matcher(line);
            if (m.find()) {
                if (m.group(1).equals("end") && cur != null) {
                    parts.add(cur.toString());
                    cur = null;
                } else if (m.group(1).equals(name)) {
                    cur = new StringBuilder();
                    indent = line.indexOf(line.strip());
                }
                continue;
            }
            if (cur != null) {
                int cut = Math.min(indent, line.length() - line.stripLeading().length());
                cur.append(line.substring(cut)).append('\n');
            }
        }
        assertTrue(cur == null, file + ": region " + name + " has no README:end");
        assertTrue(!parts.isEmpty(), file + " has no region " + name);
        return String.join("", parts);
    }

    @Test
    void readmeBlocksAreTheSourcesRegions() throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        Matcher m = BLOCK.matcher(readme);
        StringBuilder updated = new StringBuilder();
        int last = 0, included = 0;
        List<String> stale = new ArrayList<>();
        while (m.find()) {
            String lang = m.group(5);
            if (m.group(4) != null) {
                // a block another build compiles (spark/): named here, so it is a choice, not an accident
                System.out.println("README block not compiled by this build (" + m.group(4) + ")");
                continue;
            }
            if (m.group(2) == null) {
                assertTrue(!lang.equals("java"), "a Java block of the README comes from no source file:\n" + m.group(6));
                continue;
            }
            included++;
            String want = regions(Path.of(m.group(2)), m.group(3));
            if (!want.equals(m.group(6))) stale.add(m.group(2) + "#" + m.group(3));
            updated.append(readme, last, m.start(6)).append(want);
            last = m.end(6);
        }
        updated.append(readme.substring(last));
        if (Boolean.getBoolean("readme.update")) {
            Files.writeString(README, updated.toString(), StandardCharsets.UTF_8);
        } else {
            assertEquals(List.of(), stale, "README blocks differ from their sources; run mvn test -Dtest=ReadmeSnippetsTest -Dreadme.update=true");
        }
        assertTrue(included >= 8, "README blocks taken from sources: " + included);
    }

    /** cvsRoberts_dns.out at t = 40 (SUNDIALS' example, the same tolerances), to its printed digits. */
    @Test
    void solveSnippetReproducesCvsRobertsDns() {
        SolveExample.Result r = SolveExample.run();
        double[] ref = {7.158017e-01, 9.185037e-06, 2.841892e-01};
        for (int i = 0; i < 3; i++)
            assertEquals(ref[i], r.y40()[i], 2e-3 * ref[i], "y" + (i + 1) + "(40)");
        assertTrue(r.statistics().steps() > 0 && r.statistics().rhsEvals() > r.statistics().steps());
    }

    /**
     * The ERK snippet on lotka-volterra: its trajectory against CVODES BDF at rtol 1e-12, its
     * gradient against CVODES' adjoint at rtol 1e-12.
     */
    @Test
    void erkSnippetAgreesWithCvodes() {
        org.sundials4j.problems.Objective o = org.sundials4j.problems.Objectives.lotkaVolterra();
        double[] y0 = o.problem().initialState(), p = o.problem().parameters(), times = o.times();
        ErkExample.Result r = ErkExample.run(o.model(), o.loss(), y0, p, times);
        try (org.sundials4j.ode.CvodesSolver s = new org.sundials4j.ode.CvodesSolver(o.model(),
                SolverOptions.defaults().withTolerances(1e-12, 1e-14).withMaxSteps(1_000_000))) {
            Solution ref = s.solve(y0, p, times);
            for (int k = 0; k < times.length; k++)
                for (int i = 0; i < 2; i++)
                    assertEquals(ref.state(k)[i], r.solution().state(k)[i], 1e-6 * Math.abs(ref.state(k)[i]) + 1e-9, "y" + i + " at " + times[k]);
        }
        Objective tight = o.withTolerances(1e-12, 1e-14);
        try (GradientSolver gs = new GradientSolver(tight.model(), tight.loss(), null, tight.options().withMaxSteps(1_000_000),
                tight.sensitivity().withMethod(SensitivityMethod.ADJOINT))) {
            Gradient ref = gs.gradient(0, y0, p, times);
            assertArrayEquals(ref.params(), r.gradient().params(), 1e-5 * max(ref.params()));
            assertArrayEquals(ref.initialState(), r.gradient().initialState(), 1e-5 * max(ref.params()));
        }
    }

    private static double max(double[] v) {
        double m = 0;
        for (double x : v) m = Math.max(m, Math.abs(x));
        return m;
    }

    /** The tape model's right-hand side and Jacobian against ROBER's closed forms at a generic point. */
    @Test
    void tapeSnippetIsRober() {
        TapeOdeModel rober = TapeModelExample.run();
        double[] y = {0.7, 2e-5, 0.3}, p = {0.04, 1e4, 3e7}, f = new double[3];
        rober.rhs(0, y, p, f);
        double fwd = p[0] * y[0], back = p[1] * y[1] * y[2], dimer = p[2] * y[1] * y[1];
        assertArrayEquals(new double[] {back - fwd, fwd - back - dimer, dimer}, f, 1e-12);
        assertEquals(3, rober.stateCount());
        assertEquals(3, rober.parameterCount());
    }

    /** The adjoint gradient of the snippet against forward sensitivities, entry by entry. */
    @Test
    void gradientSnippetAgreesAcrossMethods() {
        TapeOdeModel rober = TapeModelExample.run();
        SolverOptions opts = SolverOptions.defaults().withRtol(1e-8).withAtol(new double[] {1e-12, 1e-16, 1e-10});
        Gradient adj = GradientExample.run(rober, opts, SensitivityMethod.ADJOINT);
        Gradient fwd = GradientExample.run(rober, opts, SensitivityMethod.FORWARD);
        assertEquals(SensitivityMethod.ADJOINT, adj.method());
        assertEquals(SensitivityMethod.FORWARD, fwd.method());
        assertEquals(fwd.loss(), adj.loss(), 1e-6 * Math.abs(fwd.loss()));
        double[] a = concat(adj), f = concat(fwd);
        assertEquals(6, a.length);
        for (int i = 0; i < a.length; i++)
            assertEquals(f[i], a[i], 1e-4 * Math.abs(f[i]), "adjoint vs forward, entry " + i);
    }

    /** The ensemble's member 17 against a fresh sequential solver; its sum against the members. */
    @Test
    void ensembleSnippetMatchesASequentialSolver() {
        TapeOdeModel rober = TapeModelExample.run();
        SolverOptions opts = SolverOptions.defaults().withRtol(1e-6).withAtol(new double[] {1e-10, 1e-14, 1e-8});
        OutputLoss loss = TapeLoss.of((tape, ts, ys, q) -> ys[ys.length - 1].dot(ys[ys.length - 1]));
        Integrand g = TapeIntegrand.of(3, 3, (tape, t, y, q) -> y.get(2));
        SensitivityOptions sens = SensitivityOptions.defaults().withMethod(SensitivityMethod.ADJOINT);
        double[] y0 = {1, 0, 0}, times = {0.4, 4, 40};
        EnsembleExample.Result r = EnsembleExample.run(rober, loss, g, opts, sens, y0, times, 24);
        assertTrue(r.gradients().failures().isEmpty());
        Member m = r.members().get(17);
        try (GradientSolver gs = new GradientSolver(rober, loss, g, opts, sens)) {
            Gradient fresh = gs.gradient(m.t0(), m.y0(), m.params(), m.times());
            assertEquals(fresh.loss(), r.g17().loss());
            assertArrayEquals(fresh.params(), r.g17().params());
            assertArrayEquals(fresh.initialState(), r.g17().initialState());
        }
        assertEquals(24, r.total().members());
        double[] sum = new double[3];
        double lossSum = 0;
        for (int i = 0; i < 24; i++) {
            lossSum += r.gradients().get(i).loss();
            for (int j = 0; j < 3; j++) sum[j] += r.gradients().get(i).params()[j];
        }
        assertEquals(lossSum, r.total().loss(), 1e-12 * Math.abs(lossSum));
        for (int j = 0; j < 3; j++) assertEquals(sum[j], r.total().params()[j], 1e-12 * Math.abs(sum[j]));
    }

    /** S1 -> S2 -> S3 (src/test/resources/readme/chain.xml) against its closed form. */
    @Test
    void sbmlSnippetMatchesTheClosedForm() {
        double[] times = {0, 1, 2, 4, 8};   // lossGradient starts at the first output time
        List<Variable> vars = List.of(Variable.concentration("S1"), Variable.concentration("S2"));
        double[][] data = new double[times.length][];
        for (int k = 0; k < times.length; k++) {
            double[] v = chain(0.5, 0.2, times[k]);
            data[k] = new double[] {v[0] - 0.01, v[1] + 0.02};
        }
        SbmlExample.Result r = SbmlExample.run(Path.of("src/test/resources/readme/chain.xml"), times, vars, data,
                SolverOptions.defaults().withTolerances(1e-10, 1e-14));
        double[] s1 = r.timeCourse().column("S1"), s2 = r.timeCourse().column("S2");
        assertEquals(101, s1.length);
        assertEquals(chain(0.5, 0.2, 10)[0], s1[100], 1e-6);
        assertEquals(chain(0.5, 0.2, 10)[1], s2[100], 1e-6);
        assertEquals(times.length * (0.01 * 0.01 + 0.02 * 0.02), r.gradient().loss(), 1e-8);
        assertEquals(List.of("k1", "reaction2.k"), r.gradient().wrt());
        // dL/dk = Σ 2 (v - d) dv/dk, dv/dk by central differences of the closed form
        double h = 1e-6;
        double[] want = new double[2];
        for (int j = 0; j < 2; j++)
            for (double t : times) {
                double[] up = j == 0 ? chain(0.5 + h, 0.2, t) : chain(0.5, 0.2 + h, t);
                double[] dn = j == 0 ? chain(0.5 - h, 0.2, t) : chain(0.5, 0.2 - h, t);
                want[j] += 2 * 0.01 * (up[0] - dn[0]) / (2 * h) + 2 * -0.02 * (up[1] - dn[1]) / (2 * h);
            }
        assertArrayEquals(want, r.gradient().gradient(), 1e-6 * Math.max(Math.abs(want[0]), Math.abs(want[1])));
        assertEquals(3, r.ode().stateCount());
    }

    /**
     * The pk-dosing events: the dose at 0 and the rescue where the closed form of the one-compartment
     * model after that dose, {@code A_c = F D ka/(ka - k) (e^(-k t) - e^(-ka t))}, {@code k = CL/V},
     * falls through 0.9 V (found by bisection), and the states at 11 h from the same closed form.
     */
    @Test
    void eventsSnippetFiresWhereTheClosedFormSays() {
        double ka = 1.2, cl = 3.5, v = 25, f = 0.8, k = cl / v;
        double[] p = {ka, cl, v, f}, y0 = {0, 0};
        TapeOdeModel rhs = TapeOdeModel.record(2, 4, org.sundials4j.problems.PkDosing.definition(), 0, y0, p);
        Solution s = EventsExample.run(rhs, SolverOptions.defaults().withTolerances(1e-10, 1e-12).withMaxSteps(100_000), y0, p, new double[] {11});
        java.util.function.DoubleUnaryOperator central = t -> f * 100 * ka / (ka - k) * (Math.exp(-k * t) - Math.exp(-ka * t));
        double lo = 2, hi = 11;   // past the peak, before the next dose
        for (int i = 0; i < 200; i++) {
            double mid = 0.5 * (lo + hi);
            if (central.applyAsDouble(mid) / v > 0.9) lo = mid; else hi = mid;
        }
        List<org.sundials4j.ode.EventRecord> events = s.events();
        assertEquals(List.of("dose", "rescue"), events.stream().map(org.sundials4j.ode.EventRecord::name).toList());
        assertEquals(0.0, events.get(0).time());
        assertEquals(lo, events.get(1).time(), 1e-6);
        // at 11 h: the first dose's closed form plus the rescue dose's, given at the rescue time
        double tr = lo, gut = f * 100 * Math.exp(-ka * 11) + f * 50 * Math.exp(-ka * (11 - tr));
        double centralAt11 = central.applyAsDouble(11) + f * 50 * ka / (ka - k) * (Math.exp(-k * (11 - tr)) - Math.exp(-ka * (11 - tr)));
        assertEquals(gut, s.state(0)[0], 1e-6 * gut);
        assertEquals(centralAt11, s.state(0)[1], 1e-6 * centralAt11);
    }

    /** S1, S2 of S1 -k1-> S2 -k2-> S3 from S1 = 1. */
    private static double[] chain(double k1, double k2, double t) {
        double a = Math.exp(-k1 * t);
        return new double[] {a, k1 / (k2 - k1) * (a - Math.exp(-k2 * t))};
    }

    private static double[] concat(Gradient g) {
        double[] p = g.params(), y = g.initialState(), all = new double[p.length + y.length];
        System.arraycopy(p, 0, all, 0, p.length);
        System.arraycopy(y, 0, all, p.length, y.length);
        return all;
    }

    /**
     * The fitting snippet on synthetic Lotka-Volterra data (true α, β, γ = 2/3, −4/3, −1; δ = 1.2 and
     * 1.5; log-normal noise, σ = 0.1, from a fixed seed): the optimizer converges, each estimate lies
     * within four of its standard errors of the truth, the Hessian-vector product equals central
     * differences of the gradient, and the profile of β never goes below the optimum.
     */
    @Test
    void fitSnippetRecoversLotkaVolterra() {
        double[] truth = {2.0 / 3, -4.0 / 3, -1};
        double[] y0 = {1, 0.5}, y0b = {0.5, 1}, times = new double[20];
        for (int k = 0; k < times.length; k++) times[k] = 0.5 * (k + 1);
        java.util.Random noise = new java.util.Random(7);
        double[][] data = synthetic(y0, new double[] {truth[0], truth[1], truth[2], 1.2}, times, noise);
        double[][] dataB = synthetic(y0b, new double[] {truth[0], truth[1], truth[2], 1.5}, times, noise);
        FitExample.Result r = FitExample.run(y0, times, data, y0b, times, dataB);
        org.sundials4j.fit.FitResult fit = r.fit();
        assertTrue(fit.optimization().reason().converged(), "stopped: " + fit.optimization().reason());
        double[] se = fit.uncertainty().standardErrors();
        for (int i = 0; i < 3; i++)
            assertTrue(Math.abs(fit.estimates()[i] - truth[i]) <= 4 * se[i],
                    fit.names()[i] + " = " + fit.estimates()[i] + " ± " + se[i] + ", truth " + truth[i]);
        assertEquals(fit.negativeLogLikelihood(), r.nllAtOptimum(), 1e-9 * Math.abs(r.nllAtOptimum()));
        // H v (v = e_1) against central differences of the exact gradient
        try (org.sundials4j.fit.Likelihood l = FitExample.problemFor(y0, times, data, y0b, times, dataB).likelihood()) {
            double[] theta = fit.theta(), gp = new double[theta.length], gm = new double[theta.length];
            double h = 1e-3;   // the gradient itself carries ~1e-8 relative error: a smaller h amplifies it
            double[] tp = theta.clone(), tm = theta.clone();
            tp[1] += h;
            tm[1] -= h;
            l.value(tp, gp);
            l.value(tm, gm);
            for (int i = 0; i < theta.length; i++) {
                double fd = (gp[i] - gm[i]) / (2 * h);
                assertEquals(fd, r.hessianVector()[i], 1e-3 * (1 + Math.abs(fd)), "(H e_1)_" + i);
            }
        }
        for (double v : r.profile().nll())
            assertTrue(v >= fit.negativeLogLikelihood() - 1e-6, "profile below the optimum: " + v);
    }

    private static double[][] synthetic(double[] y0, double[] p, double[] times, java.util.Random noise) {
        TapeOdeModel lv = TapeOdeModel.record(2, 4, org.sundials4j.problems.LotkaVolterra.definition(), 0, y0, p);
        try (org.sundials4j.ode.CvodesSolver solver = new org.sundials4j.ode.CvodesSolver(lv,
                SolverOptions.defaults().withTolerances(1e-10, 1e-12))) {
            Solution s = solver.solve(y0, p, times);
            double[][] d = new double[times.length][];
            for (int k = 0; k < times.length; k++) {
                double[] yk = s.state(k);
                d[k] = new double[] {yk[0] * Math.exp(0.1 * noise.nextGaussian()), yk[1] * Math.exp(0.1 * noise.nextGaussian())};
            }
            return d;
        }
    }
}
