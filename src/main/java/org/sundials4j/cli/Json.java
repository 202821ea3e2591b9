package org.sundials4j.cli;

import java.util.Map;

/**
 * A minimal JSON writer for the CLI's output (no dependency for a few objects), every command's
 * (public for the subcommand packages such as {@code cli.fit}). Non-finite numbers, which JSON cannot
 * express, are written as {@code null}.
 */
public final class Json {
    private final StringBuilder sb = new StringBuilder();

    /**
     * {@code value} as JSON: null, strings, numbers, booleans, arrays ({@code double[]}, {@code Object[]},
     * any {@link Iterable}) and maps (keys in the map's order: pass a {@link java.util.LinkedHashMap}
     * for a stable one).
     */
    public static String write(Object value) {
        Json j = new Json();
        j.value(value);
        return j.sb.toString();
    }

    private void value(Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            string(s);
        } else if (v instanceof Double d) {
            number(d);
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof double[] a) {
            sb.append('[');
            for (int i = 0; i < a.length; i++) {
                if (i > 0) sb.append(',');
                number(a[i]);
            }
            sb.append(']');
        } else if (v instanceof Object[] a) {
            sb.append('[');
            for (int i = 0; i < a.length; i++) {
                if (i > 0) sb.append(',');
                value(a[i]);
            }
            sb.append(']');
        } else if (v instanceof Iterable<?> it) {
            sb.append('[');
            boolean first = true;
            for (Object o : it) {
                if (!first) sb.append(',');
                first = false;
                value(o);
            }
            sb.append(']');
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) sb.append(',');
                first = false;
                string(String.valueOf(e.getKey()));
                sb.append(':');
                value(e.getValue());
            }
            sb.append('}');
        } else {
            throw new IllegalArgumentException("cannot write " + v.getClass().getName() + " as JSON");
        }
    }

    private void number(double d) {
        if (Double.isFinite(d)) sb.append(d);
        else sb.append("null");
    }

    private void string(String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
