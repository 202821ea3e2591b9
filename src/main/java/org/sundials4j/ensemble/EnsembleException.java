package org.sundials4j.ensemble;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One or more members failed where the caller wanted all of them: thrown by a fail-fast run, or by
 * {@link EnsembleResult#orThrow()}. The cause is the lowest-index member's exception; the others
 * are suppressed exceptions and listed by {@link #failures()}.
 */
public class EnsembleException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final List<MemberFailure> failures;

    public EnsembleException(List<MemberFailure> failures) {
        super(message(failures), failures.isEmpty() ? null : failures.get(0).error());
        this.failures = List.copyOf(failures);
        for (int i = 1; i < failures.size(); i++) addSuppressed(failures.get(i).error());
    }

    /** The failed members, by ascending index. */
    public List<MemberFailure> failures() {
        return failures;
    }

    /** The index of the first failed member. */
    public int firstIndex() {
        return failures.get(0).index();
    }

    private static String message(List<MemberFailure> failures) {
        if (failures.isEmpty()) throw new IllegalArgumentException("no failures given");
        MemberFailure first = failures.get(0);
        String head = "member " + first.index() + " failed: " + first.error();
        if (failures.size() == 1) return head;
        String indices = failures.stream().limit(20).map(f -> Integer.toString(f.index())).collect(Collectors.joining(", "));
        return head + " (" + failures.size() + " members failed: " + indices + (failures.size() > 20 ? ", …)" : ")");
    }
}
