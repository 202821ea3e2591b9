package org.sundials4j.sbml;

/**
 * An SBML file that cannot be imported: unreadable, not SBML, or inconsistent (a reference to an id
 * that does not exist, a circular definition, a value that is never set). The message names the
 * element and its id.
 */
public class SbmlException extends RuntimeException {
    private final String element;
    private final String id;

    public SbmlException(String element, String id, String message) {
        super(element + (id == null ? "" : " '" + id + "'") + ": " + message);
        this.element = element;
        this.id = id;
    }

    public SbmlException(String element, String id, String message, Throwable cause) {
        this(element, id, message);
        initCause(cause);
    }

    /** The SBML element concerned, e.g. {@code reaction}, {@code assignmentRule}, {@code sbml}. */
    public String element() {
        return element;
    }

    /** Its id (or the id of the element holding the offending math), null when it has none. */
    public String id() {
        return id;
    }
}
