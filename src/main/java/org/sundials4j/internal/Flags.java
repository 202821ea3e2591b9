package org.sundials4j.internal;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;
import org.sundials4j.internal.cvodes.global.cvodes;

/**
 * Names of CVODES return flags, read once from the generated bindings so they can never drift
 * from the headers. The integrator ({@code CV_*}) and linear-solver interface ({@code CVLS_*})
 * families overlap numerically, so each has its own table.
 */
public final class Flags {
    private static final Map<Integer, String> CV = table("CV_");
    private static final Map<Integer, String> CVLS = table("CVLS_");

    private Flags() {}

    private static Map<Integer, String> table(String prefix) {
        Map<Integer, String> m = new HashMap<>();
        for (Field f : cvodes.class.getFields()) {
            if (f.getType() == int.class && Modifier.isStatic(f.getModifiers()) && f.getName().startsWith(prefix)) {
                try {
                    int v = f.getInt(null);
                    if (v < 0) m.putIfAbsent(v, f.getName());
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return Map.copyOf(m);
    }

    /** The symbolic name of an integrator flag, e.g. {@code CV_TOO_MUCH_WORK}. */
    public static String integratorFlag(int flag) {
        return CV.getOrDefault(flag, "CV_FLAG(" + flag + ")");
    }

    /** The symbolic name of a linear-solver interface flag, e.g. {@code CVLS_ILL_INPUT}. */
    public static String linearSolverFlag(int flag) {
        return CVLS.getOrDefault(flag, "CVLS_FLAG(" + flag + ")");
    }
}
