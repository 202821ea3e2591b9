package org.sundials4j.sbml;

/**
 * A valid SBML construct that this importer does not simulate (algebraic rules, fast reactions, the
 * {@code delay} csymbol, {@code rateOf} of a quantity without a rate, SBML packages such as comp or
 * fbc, events until the event support lands). It is refused at import, never silently ignored;
 * {@link #element()} and {@link #id()} name where it occurs and {@link #construct()} what it is.
 */
public final class UnsupportedSbmlException extends SbmlException {
    private final String construct;

    public UnsupportedSbmlException(String construct, String element, String id, String detail) {
        super(element, id, construct + " is not supported" + (detail == null ? "" : " (" + detail + ")"));
        this.construct = construct;
    }

    /** The unsupported construct, e.g. {@code algebraicRule}, {@code fast reaction}, {@code csymbol delay}. */
    public String construct() {
        return construct;
    }
}
