package org.sundials4j.ensemble;

import java.io.Serializable;
import java.util.Objects;

/**
 * A member that failed: its index in the input and what it threw (typically a
 * {@link org.sundials4j.ode.SolverException} naming the CVODES flag, phase and time reached, or an
 * {@link IllegalArgumentException} naming the bad input).
 */
public record MemberFailure(int index, Exception error) implements Serializable {
    public MemberFailure {
        if (index < 0) throw new IllegalArgumentException("index = " + index + " < 0");
        Objects.requireNonNull(error, "error");
    }

    @Override
    public String toString() {
        return "member " + index + ": " + error;
    }
}
