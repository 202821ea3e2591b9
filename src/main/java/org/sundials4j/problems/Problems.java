package org.sundials4j.problems;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The registry of the problem set, by the names {@code shared/PROBLEMS.md} uses. */
public final class Problems {
    private static final Map<String, Supplier<Problem>> BY_NAME = new LinkedHashMap<>();

    static {
        BY_NAME.put(Rober.NAME, Rober::problem);
        BY_NAME.put(Pollu.NAME, Pollu::problem);
        BY_NAME.put(LotkaVolterra.NAME, LotkaVolterra::problem);
        BY_NAME.put(AdvectionDiffusion.NAME, AdvectionDiffusion::problem);
        BY_NAME.put(NeuralOde.NAME, () -> NeuralOde.problem(NeuralOde.DEFAULT_HIDDEN));
        BY_NAME.put(Brusselator2d.NAME, () -> Brusselator2d.problem(Brusselator2d.DEFAULT_GRID));
        BY_NAME.put(PkDosing.NAME, PkDosing::problem);
    }

    private Problems() {
    }

    /** All names, in the order of the problem set. */
    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    /** The problem with default sizes (neural-ode H = 50, brusselator-2d N = 16). */
    public static Problem byName(String name) {
        Supplier<Problem> s = name == null ? null : BY_NAME.get(name);
        if (s == null) throw new IllegalArgumentException("name = " + name + " is not a problem; known: " + names());
        return s.get();
    }
}
