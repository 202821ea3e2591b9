package org.sundials4j.ode;

import static org.sundials4j.internal.cvodes.global.cvodes.*;

import org.sundials4j.internal.NativeOwner;
import org.sundials4j.internal.cvodes.S4jBridge;
import org.sundials4j.internal.cvodes.S4jReplay;

/**
 * One solver's native tape replay ({@code native/include/sundials4j_replay.h}): the model's (and the
 * integrand's) recording lives in native memory, and CVODES' callbacks run it in C on the solver's
 * coroutine instead of crossing into Java. Made only for models that hand over a recording
 * ({@link ReplayProgram.Source}, i.e. tape models) unless the system property
 * {@code sundials4j.replay=java} asks for the Java path.
 *
 * <p>Uploads happen once per recording: {@link #refresh} at the start of every run re-uploads only
 * when the model re-recorded (a guard flipped: the C side then handed the call to Java, whose replay
 * re-recorded, and stays off until this upload). Any call the C side cannot answer (a flipped guard,
 * a non-finite result, a Jacobian layout the structure does not fit) is served by the Java callbacks
 * as before, so errors read the same on both paths; {@link #statistics} says which path ran.
 */
final class NativeReplay {
    /** The system property that selects the path: {@code native} (the default) or {@code java}. */
    static final String PROPERTY = "sundials4j.replay";
    /**
     * The system property that switches the replay's compiler: {@code on} (the default: recordings are
     * compiled to x86-64 code at upload, {@code native/include/sundials4j_jit.h}) or {@code off} (the
     * interpreter runs them). Read when a solver is made.
     */
    static final String JIT_PROPERTY = "sundials4j.replay.jit";

    private final S4jReplay replay;
    private final ReplayProgram.Source modelSource;
    private final int n, np;
    private ReplayProgram uploaded;
    private ReplayProgram uploadedIntegrand;
    private String refused;
    private boolean integrandInJava;
    private final double[] state = new double[3];

    private NativeReplay(S4jReplay replay, ReplayProgram.Source modelSource, int n, int np) {
        this.replay = replay;
        this.modelSource = modelSource;
        this.n = n;
        this.np = np;
    }

    /** Whether the native path is asked for (the default). */
    static boolean enabled() {
        return !"java".equalsIgnoreCase(System.getProperty(PROPERTY, "native"));
    }

    /** Whether uploaded recordings are compiled (the default). */
    static boolean jitEnabled() {
        return !"off".equalsIgnoreCase(System.getProperty(JIT_PROPERTY, "on"));
    }

    /** The replay of {@code model}'s recording, owned by {@code owner}, or null when it has none. */
    static NativeReplay create(OdeModel model, NativeOwner owner) {
        if (!enabled() || !(model instanceof ReplayProgram.Source src) || src.replayProgram() == null) return null;
        S4jReplay r = s4j_replay_new(model.stateCount(), model.parameterCount());
        if (r == null || r.isNull()) throw new OutOfMemoryError("s4j_replay_new");
        owner.own(r, x -> s4j_replay_free(x));
        s4j_replay_use_jit(r, jitEnabled() ? 1 : 0);
        NativeReplay nr = new NativeReplay(r, src, model.stateCount(), model.parameterCount());
        nr.refresh();
        return nr;
    }

    /** Uploads the model's recording if it changed since the last upload (a re-recording). */
    void refresh() {
        ReplayProgram p = modelSource.replayProgram();
        if (p == null || p == uploaded) return;
        uploaded = p;
        refused = null;
        if (upload(p, false) != 0) {
            refused = "the native replay refused the recording (" + p.instructionCount() + " instructions)";
            return;
        }
        ReplayProgram.Jacobian j = p.jacobian();
        if (j != null) {
            int ngroups = j.groupStart().length - 1;
            if (s4j_replay_jacobian(replay, j.rowIndex().length, j.colStart(), j.rowIndex(), j.rowStart(), j.colIndex(),
                    j.cscPos(), j.byColumns() ? 1 : 0, ngroups, j.groupStart(), j.groupMember()) != 0)
                throw new OutOfMemoryError("s4j_replay_jacobian");
        }
    }

    private int upload(ReplayProgram p, boolean integrand) {
        int guards = p.guards().length / 3;
        return integrand
                ? s4j_replay_integrand(replay, p.inputCount(), p.slotCount(), p.instructionCount(), p.code(), p.constants(),
                        p.aux().length, p.aux(), p.outputs().length, p.outputs(), guards, p.guards(), p.template())
                : s4j_replay_model(replay, p.inputCount(), p.slotCount(), p.instructionCount(), p.code(), p.constants(),
                        p.aux().length, p.aux(), p.outputs().length, p.outputs(), guards, p.guards(), p.template());
    }

    /**
     * Uploads the integrand's recording when it has one (recording it at {@code (t0, y0, p)} first if
     * needed); an integrand without one is served in Java, and so are the backward products that
     * include its gradient.
     */
    void integrand(Integrand g, double t0, double[] y0, double[] p) {
        ReplayProgram prog = null;
        if (g instanceof ReplayProgram.Source src) {
            if (src.replayProgram() == null) g.value(t0, y0, p);
            prog = src.replayProgram();
        }
        if (prog != null && prog == uploadedIntegrand) return;
        uploadedIntegrand = prog;
        if (prog == null || prog.inputCount() != 1 + n + np || upload(prog, true) != 0) {
            // without it the C side's adjoint products would leave out g_y and g_p
            uploadedIntegrand = null;
            integrandInJava = true;
            s4j_replay_integrand_in_java(replay);
            return;
        }
        integrandInJava = false;
        parameters(p); // the upload brought the recording's parameter values
    }

    void lendTo(S4jBridge b) {
        s4j_bridge_set_replay(b, replay);
    }

    void parameters(double[] p) {
        s4j_replay_parameters(replay, p);
    }

    /**
     * Holds select {@code k}'s branch at {@code sides[k]} in the model's native sweeps (a piecewise
     * model between switches), or with null lets the comparisons decide. A vector that does not fit
     * the recording's switches switches the native path off for this recording: Java serves it.
     */
    void branches(boolean[] sides) {
        int[] s = null;
        if (sides != null) {
            s = new int[sides.length];
            for (int k = 0; k < s.length; k++) s[k] = sides[k] ? 1 : 0;
        }
        s4j_replay_branches(replay, s == null ? 0 : s.length, s); // -1 leaves the replay off: offReason() says why
    }

    void sensitivities(int[] sensParam) {
        if (s4j_replay_sensitivities(replay, sensParam.length, sensParam) != 0) throw new OutOfMemoryError("s4j_replay_sensitivities");
    }

    void adjoint(int[] selectedParams) {
        if (s4j_replay_adjoint(replay, selectedParams.length, selectedParams) != 0) throw new OutOfMemoryError("s4j_replay_adjoint");
    }

    void resetCounters() {
        s4j_replay_reset_counters(replay);
    }

    /** Reverse sweeps and backward quadrature calls the C side made since {@link #resetCounters}. */
    long[] adjointCounters() {
        s4j_replay_state(replay, state);
        return new long[] {(long) state[1], (long) state[2]};
    }

    /** Why the native path is off now, or null when it is on. */
    String offReason() {
        if (refused != null) return refused;
        int s = s4j_replay_state(replay, state);
        if (s == 2) return "the held branches do not fit the recording's switches (Java serves the calls)";
        if (s != 0) return "a guard flipped at t = " + state[0] + " (Java re-records; the next run uploads the new recording)";
        return integrandInJava ? "the integrand has no tape recording: its quadrature and the adjoint products run in Java" : null;
    }

    /** Which path served the callbacks of {@code bridges} since their counters were reset. */
    ReplayStatistics statistics(S4jBridge... bridges) {
        long nat = 0, java = 0;
        for (S4jBridge b : bridges) {
            long[] c = counts(b);
            nat += c[0];
            java += c[1];
        }
        return new ReplayStatistics(true, nat, java, offReason(), 0, 0, s4j_replay_jitted(replay) != 0);
    }

    /**
     * One sweep of the uploaded model recording at the input slots {@code x} ({@code t, y, p}), run by
     * the compiled code ({@code compiled}) or the interpreter, for tests that hold the two against each
     * other and the Java replay: 0 values (every slot), 1 linearisation (values, then {@code pa}, then
     * {@code pb}), 2 tangent of the input direction {@code seed} (every slot's), 3 reverse sweep of the
     * output adjoints {@code seed} (every slot's), 4 {@code ∂f/∂y} by the recording's colouring (its CSC
     * values); {@code flag} is the passive flag of sweeps 2 and 3. Null when there is no compiled code
     * to run (or, for 4, no structure or a non-finite entry). No run may be in progress.
     */
    double[] probe(int sweep, boolean compiled, boolean flag, double[] x, double[] seed) {
        int slots = uploaded.slotCount();
        double[] out = sweep == 4 ? new double[uploaded.jacobian() == null ? 0 : uploaded.jacobian().rowIndex().length]
                : new double[(sweep == 1 ? 3 : 1) * slots];
        double[] s = seed == null ? new double[Math.max(1, uploaded.inputCount())] : seed;
        int rc = s4j_replay_probe(replay, sweep, compiled ? 1 : 0, flag ? 1 : 0, x, s, out);
        return rc == 0 ? out : null;
    }

    /** {@code [native, java]} callback counts of one bridge. */
    static long[] counts(S4jBridge b) {
        long[] out = new long[2];
        s4j_bridge_counts(b, out);
        return out;
    }

    static void resetCounts(S4jBridge... bridges) {
        for (S4jBridge b : bridges) s4j_bridge_reset_counts(b);
    }
}
