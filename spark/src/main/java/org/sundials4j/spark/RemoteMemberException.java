package org.sundials4j.spark;

/**
 * Stands in for a member's exception that Java serialization cannot carry from an executor to the
 * driver (for example one whose cause holds a non-serializable object): its class name and message,
 * with the original stack trace.
 */
public final class RemoteMemberException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String originalClass;

    RemoteMemberException(Exception original) {
        super(original.getClass().getName() + ": " + original.getMessage());
        this.originalClass = original.getClass().getName();
        setStackTrace(original.getStackTrace());
    }

    /** The class name of the exception the member threw. */
    public String originalClass() {
        return originalClass;
    }
}
