package org.sundials4j.tape;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.sundials4j.ode.NativeSweeps;

/**
 * The replay's compiled sweeps ({@code native/include/sundials4j_jit.h}) against its interpreter
 * ({@code sundials4j_replay.h}) and against the Java replay ({@link Replay}), the independent
 * reference: values, linearisation (values and both partials of every slot), tangent and reverse
 * sweeps, on every slot, at points full of special values (NaN, ±∞, ±0, subnormals, ±1 for pow's
 * edge cases), with zero, NaN and infinite seeds so that the sweeps' zero skips and their NaN cases
 * matter. The compiled code must give the interpreter's bits exactly; where Java and C compute the
 * same correctly rounded operations (arithmetic, min/max, abs, signum, sqrt and block products), the
 * Java replay's too. NaN is compared as NaN: which operand's payload x86 passes on is an order that
 * compilers treat as free, and Java does not promise payloads either.
 */
class JitSweepsTest {
    static final double[] SPECIAL = {0.0, -0.0, 1.0, -1.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN,
            0.5, 2.0, -2.5, 1e300, Double.MIN_VALUE, 1e-310, 3.0, -0.75};

    /** Scalar operations whose results Java and the C library round alike. */
    static final int[] EXACT = {Ops.ADD, Ops.SUB, Ops.MUL, Ops.DIV, Ops.MIN, Ops.MAX, Ops.ADD_C, Ops.RSUB_C, Ops.MUL_C,
            Ops.DIV_C, Ops.RDIV_C, Ops.NEG, Ops.SQRT, Ops.ABS, Ops.SQUARE, Ops.SIGN};

    static final int N = 3, NP = 2, INPUTS = 1 + N + NP;

    /** A program under construction: slots after the inputs, instructions, aux. */
    static final class Builder {
        final int inputs;
        final List<Double> constants = new ArrayList<>();
        final List<int[]> code = new ArrayList<>();
        final List<Double> cst = new ArrayList<>();
        final List<Integer> aux = new ArrayList<>();
        int slots;
        int switches;

        Builder(int inputs, double... constantSlots) {
            this.inputs = inputs;
            for (double c : constantSlots) constants.add(c);
            slots = inputs + constantSlots.length;
        }

        int scalar(int op, int a, int b, double c) {
            code.add(new int[] {op, slots, a, Ops.isUnary(op) || (op >= Ops.ADD_C && op <= Ops.RPOW_C) ? a : b});
            cst.add(c);
            return slots++;
        }

        /** A block or select instruction with its aux entries; returns its first output slot. */
        int special(int op, int outLen, int b, int... auxEntries) {
            code.add(new int[] {op, slots, aux.size(), b});
            cst.add(0.0);
            for (int x : auxEntries) aux.add(x);
            int out = slots;
            slots += outLen;
            return out;
        }

        Program build(int[] outputs) {
            int[] c = new int[4 * code.size()];
            for (int k = 0; k < code.size(); k++) System.arraycopy(code.get(k), 0, c, 4 * k, 4);
            double[] template = new double[slots];
            for (int i = 0; i < constants.size(); i++) template[inputs + i] = constants.get(i);
            return new Program(inputs, 0, 0, slots, c, cst.stream().mapToDouble(Double::doubleValue).toArray(),
                    aux.stream().mapToInt(Integer::intValue).toArray(), outputs, new int[0], template, switches);
        }
    }

    static double draw(Random r) {
        return r.nextInt(3) == 0 ? SPECIAL[r.nextInt(SPECIAL.length)] : Math.round((r.nextDouble() * 8 - 4) * 8) / 8.0;
    }

    /**
     * A random program over N states and NP parameters: {@code ops} scalar instructions drawn from
     * {@code pool} over earlier slots and special constants, with block and select instructions mixed
     * in when {@code blocks}.
     */
    static Program random(Random r, int length, int[] pool, boolean blocks) {
        double[] consts = new double[4];
        for (int i = 0; i < consts.length; i++) consts[i] = SPECIAL[r.nextInt(SPECIAL.length)];
        Builder b = new Builder(INPUTS, consts);
        List<Integer> results = new ArrayList<>();
        for (int k = 0; k < length; k++) {
            int avail = b.slots;
            if (blocks && r.nextInt(6) == 0) {
                results.add(randomSpecial(r, b, avail, pool));
                continue;
            }
            int op = pool[r.nextInt(pool.length)];
            // often the previous result, as in the chains of a model (the compiled code keeps it in a register)
            int sa = k > 0 && r.nextBoolean() ? avail - 1 : r.nextInt(avail);
            int sb = k > 0 && r.nextInt(3) == 0 ? avail - 1 : r.nextInt(avail);
            results.add(b.scalar(op, sa, sb, draw(r)));
        }
        int[] outputs = new int[N];
        for (int i = 0; i < N; i++) outputs[i] = results.get(results.size() - 1 - r.nextInt(Math.min(results.size(), 6)));
        return b.build(outputs);
    }

    private static int randomSpecial(Random r, Builder b, int avail, int[] pool) {
        switch (r.nextInt(6)) {
            case 0: {
                int sw = r.nextInt(2);
                b.switches = Math.max(b.switches, sw + 1);
                return b.special(Ops.SELECT, 1, r.nextInt(2), r.nextInt(avail), r.nextInt(avail), r.nextInt(avail),
                        r.nextInt(avail), sw);
            }
            case 1: {
                int len = 1 + r.nextInt(4);
                return b.special(Ops.DOT, 1, 0, len, r.nextInt(avail - len + 1), r.nextInt(avail - len + 1));
            }
            case 2: {
                int len = 1 + r.nextInt(3);
                int[] e = new int[1 + len];
                e[0] = len;
                for (int i = 1; i <= len; i++) e[i] = r.nextInt(avail);
                return b.special(Ops.PACK, len, 0, e);
            }
            case 3: {
                int len = 1 + r.nextInt(3);
                int[] unary = Arrays.stream(pool).filter(Ops::isUnary).toArray(); // the element-wise function
                int f = unary[r.nextInt(unary.length)];
                return b.special(Ops.ACT, len, 0, len, r.nextInt(avail - len + 1), f);
            }
            default: {
                boolean tr = r.nextBoolean();
                int m = 1 + r.nextInt(5), n = 1 + r.nextInt(2);
                int w = r.nextInt(avail - m * n + 1), x = r.nextInt(avail - (tr ? m : n) + 1);
                int bias = tr || r.nextBoolean() ? -1 : r.nextInt(avail - m + 1);
                return b.special(tr ? Ops.MATVEC_T : Ops.MATVEC, tr ? n : m, 0, m, n, w, x, bias, r.nextInt(2));
            }
        }
    }

    /** The Java replay's four sweeps, laid out like {@link NativeSweeps#sweep}'s answers. */
    static double[][] javaSweeps(Program p, double[] x, double[] tangentSeed, double[] reverseSeed, boolean flag) {
        double[] v = p.template.clone();
        System.arraycopy(x, 0, v, 0, p.inputCount);
        double[] values = v.clone();
        Replay.values(p, values, null);
        double[] pa = new double[p.slotCount], pb = new double[p.slotCount];
        Replay.linearize(p, v, pa, pb, null);
        double[] lin = new double[3 * p.slotCount];
        System.arraycopy(v, 0, lin, 0, p.slotCount);
        System.arraycopy(pa, 0, lin, p.slotCount, p.slotCount);
        System.arraycopy(pb, 0, lin, 2 * p.slotCount, p.slotCount);
        double[] dot = new double[p.slotCount];
        System.arraycopy(tangentSeed, 0, dot, 0, p.inputCount);
        Replay.tangent(p, v, pa, pb, dot, flag, null);
        double[] bar = new double[p.slotCount];
        for (int i = 0; i < p.outputs.length; i++) bar[p.outputs[i]] += reverseSeed[i];
        Replay.reverse(p, v, pa, pb, bar, flag, null);
        return new double[][] {values, lin, dot, bar};
    }

    static final String[] SWEEP = {"values", "linearisation", "tangent", "reverse"};

    /** Same bits, NaN as NaN. */
    static void assertSameBits(double[] expected, double[] actual, String what, Program p) {
        assertNotNull(actual, what + ": no answer");
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[i];
            if (Double.isNaN(e) && Double.isNaN(a)) continue;
            if (Double.doubleToRawLongBits(e) != Double.doubleToRawLongBits(a)) {
                int slot = i % p.slotCount;
                fail(what + ": slot " + slot + " (" + (i / p.slotCount > 0 ? i / p.slotCount == 1 ? "pa" : "pb" : "value")
                        + ", written by " + writer(p, slot) + ") expected " + e + " but was " + a);
            }
        }
    }

    private static String writer(Program p, int slot) {
        String w = "no instruction"; // the last instruction starting at or below the slot (blocks write several)
        for (int q = 0; q < p.code.length; q += 4) {
            if (p.code[q + 1] <= slot) w = "op " + p.code[q] + " " + Arrays.toString(Arrays.copyOfRange(p.code, q, q + 4));
        }
        return slot < p.inputCount ? "an input" : w;
    }

    /**
     * Runs the three replays at {@code points} random points of {@code p} and compares every sweep;
     * {@code javaAlso} includes the Java replay.
     */
    static void compare(Program p, Random r, int points, boolean javaAlso) {
        try (NativeSweeps s = new NativeSweeps(p.toReplay(null), p.outputs.length, p.inputCount - 1 - p.outputs.length)) {
            assertTrue(s.jitted(), "the program was not compiled");
            for (int k = 0; k < points; k++) {
                double[] x = new double[p.inputCount], ts = new double[p.inputCount], rs = new double[p.outputs.length];
                for (int i = 0; i < x.length; i++) {
                    x[i] = draw(r);
                    ts[i] = r.nextInt(3) == 0 ? 0 : draw(r);
                }
                for (int i = 0; i < rs.length; i++) rs[i] = r.nextInt(4) == 0 ? 0 : draw(r);
                boolean flag = r.nextBoolean();
                double[][] java = javaAlso ? javaSweeps(p, x, ts, rs, flag) : null;
                for (int sweep = 0; sweep < 4; sweep++) {
                    double[] seed = sweep == NativeSweeps.TANGENT ? ts : rs;
                    double[] interpreted = s.sweep(sweep, false, flag, x, seed);
                    double[] compiled = s.sweep(sweep, true, flag, x, seed);
                    assertSameBits(interpreted, compiled, SWEEP[sweep] + ", compiled vs interpreted", p);
                    if (javaAlso) assertSameBits(java[sweep], compiled, SWEEP[sweep] + ", compiled vs Java", p);
                }
            }
        }
    }

    static int[] allScalar() {
        int[] ops = new int[Ops.LAST_SCALAR + 1];
        for (int i = 0; i < ops.length; i++) ops[i] = i;
        return ops;
    }

    @Property(tries = 150)
    void arithmeticProgramsGiveTheJavaReplaysBits(@ForAll long seed) {
        Random r = new Random(seed);
        compare(random(r, 1 + r.nextInt(40), EXACT, r.nextBoolean()), r, 4, true);
    }

    /**
     * Programs that write some slots twice (the tape never records one, but the native replay takes
     * any valid program): a slot's partials are then its last writer's, which the partials set once at
     * upload and the compiled reverse sweep's shortcuts (±1 partials of sums, zero pb of unary
     * instructions) do not know. Such a program is not compiled, and the interpreter's general loops,
     * which write every partial each time, give the Java replay's bits.
     */
    @Property(tries = 100)
    void programsThatWriteASlotTwiceStayInterpretedWithJavasBits(@ForAll long seed) {
        Random r = new Random(seed);
        Program p = random(r, 2 + r.nextInt(40), EXACT, false);
        int first = 4 * r.nextInt(p.instructionCount - 1);
        p.code[first + 5] = p.code[first + 1]; // the next instruction writes the same slot again
        for (int q = first + 8; q < p.code.length; q += 4) {
            if (r.nextInt(4) == 0) p.code[q + 1] = p.code[first + 1];
        }
        try (NativeSweeps s = new NativeSweeps(p.toReplay(null), N, NP)) {
            assertFalse(s.jitted(), "a program that writes a slot twice was compiled");
            for (int k = 0; k < 4; k++) {
                double[] x = new double[INPUTS], ts = new double[INPUTS], rs = new double[N];
                for (int i = 0; i < x.length; i++) {
                    x[i] = draw(r);
                    ts[i] = draw(r);
                }
                for (int i = 0; i < rs.length; i++) rs[i] = draw(r);
                double[][] java = javaSweeps(p, x, ts, rs, false);
                for (int sweep = 0; sweep < 4; sweep++) {
                    double[] seed2 = sweep == NativeSweeps.TANGENT ? ts : rs;
                    assertNull(s.sweep(sweep, true, false, x, seed2));
                    assertSameBits(java[sweep], s.sweep(sweep, false, false, x, seed2), SWEEP[sweep] + ", interpreted vs Java", p);
                }
            }
        }
    }

    @Property(tries = 150)
    void programsOfEveryOperationGiveTheInterpretersBits(@ForAll long seed) {
        Random r = new Random(seed);
        compare(random(r, 1 + r.nextInt(60), allScalar(), r.nextBoolean()), r, 4, false);
    }

    /**
     * Every scalar opcode of {@code ops} at every pair of special values (inputs of a program with 15
     * states: t and the states hold the special values), the constant forms with every special
     * constant, summed into the first output so that the reverse sweep reaches every instruction
     * with the seed's adjoint; the three other outputs are single instructions.
     */
    static Program everyOperation(int[] ops) {
        int n = SPECIAL.length, inputs = 1 + n;
        Builder b = new Builder(inputs);
        List<Integer> results = new ArrayList<>();
        for (int op : ops) {
            boolean constantForm = op >= Ops.ADD_C && op <= Ops.RPOW_C;
            for (int i = 0; i < inputs; i++) {
                if (Ops.isUnary(op)) {
                    results.add(b.scalar(op, i, i, 0));
                    continue;
                }
                for (int j = 0; j < (constantForm ? n : inputs); j++) {
                    results.add(constantForm ? b.scalar(op, i, i, SPECIAL[j]) : b.scalar(op, i, j, 0));
                }
            }
        }
        int sum = results.get(0);
        for (int k = 1; k < results.size(); k++) sum = b.scalar(Ops.ADD, sum, results.get(k), 0);
        int[] outputs = new int[n];
        outputs[0] = sum;
        for (int i = 1; i < n; i++) outputs[i] = results.get((i * 7919) % results.size());
        return b.build(outputs);
    }

    /** The every-operation program at the special values, with special, zero and NaN seeds. */
    static void compareEveryOperation(int[] ops, boolean javaAlso) {
        Program p = everyOperation(ops);
        int n = SPECIAL.length;
        try (NativeSweeps s = new NativeSweeps(p.toReplay(null), n, 0)) {
            assertTrue(s.jitted(), "the program was not compiled");
            double[] x = new double[1 + n];
            System.arraycopy(SPECIAL, 0, x, 1, n);
            x[0] = 0.25;
            for (double g : new double[] {1.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, 3.0}) {
                double[] ts = new double[1 + n], rs = new double[n];
                for (int i = 0; i <= n; i++) ts[i] = i % 3 == 0 ? 0 : g * SPECIAL[(i * 5) % n];
                Arrays.fill(rs, g);
                double[][] java = javaAlso ? javaSweeps(p, x, ts, rs, false) : null;
                for (int sweep = 0; sweep < 4; sweep++) {
                    double[] seed = sweep == NativeSweeps.TANGENT ? ts : rs;
                    double[] compiled = s.sweep(sweep, true, false, x, seed);
                    assertSameBits(s.sweep(sweep, false, false, x, seed), compiled, SWEEP[sweep] + " (g " + g + ")", p);
                    if (javaAlso) assertSameBits(java[sweep], compiled, SWEEP[sweep] + " vs Java (g " + g + ")", p);
                }
            }
        }
    }

    @Test
    void everyScalarOpcodeAtEverySpecialValueGivesTheInterpretersBits() {
        compareEveryOperation(allScalar(), false);
    }

    @Test
    void everyExactOpcodeAtEverySpecialValueGivesTheJavaReplaysBits() {
        compareEveryOperation(EXACT, true);
    }

    /**
     * A NaN adjoint is not zero: the reverse sweep's skip must not take it (ucomisd's unordered result
     * sets the zero flag too). y = x0 * x1 with a NaN seed reaches both inputs as NaN; with a zero seed
     * neither (they stay +0, where a product 0 * ∞ would have made NaN).
     */
    @Test
    void theReverseSweepSkipsZeroAdjointsButNotNaN() {
        Builder b = new Builder(INPUTS);
        int y = b.scalar(Ops.MUL, 1, 2, 0);
        Program p = b.build(new int[] {y, y, y});
        try (NativeSweeps s = new NativeSweeps(p.toReplay(null), N, NP)) {
            double[] x = {0, Double.POSITIVE_INFINITY, 2, 0, 0, 0};
            double[] nan = s.sweep(NativeSweeps.REVERSE, true, false, x, new double[] {Double.NaN, 0, 0});
            assertTrue(Double.isNaN(nan[1]) && Double.isNaN(nan[2]), Arrays.toString(nan));
            double[] zero = s.sweep(NativeSweeps.REVERSE, true, false, x, new double[] {0, -0.0, 0});
            assertTrue(Double.doubleToRawLongBits(zero[1]) == 0 && Double.doubleToRawLongBits(zero[2]) == 0, Arrays.toString(zero));
        }
    }

    /** With the property off the replay interprets: no compiled code to run, the statistic says so. */
    @Test
    void thePropertyOffKeepsTheInterpreter() {
        Program p = random(new Random(7), 20, EXACT, true);
        String before = System.getProperty("sundials4j.replay.jit");
        System.setProperty("sundials4j.replay.jit", "off");
        try (NativeSweeps s = new NativeSweeps(p.toReplay(null), N, NP)) {
            assertFalse(s.jitted());
            double[] x = {0, 1, 2, 3, 4, 5};
            assertNull(s.sweep(NativeSweeps.VALUES, true, false, x, null));
            assertNotNull(s.sweep(NativeSweeps.VALUES, false, false, x, null));
        } finally {
            if (before == null) System.clearProperty("sundials4j.replay.jit");
            else System.setProperty("sundials4j.replay.jit", before);
        }
    }
}
