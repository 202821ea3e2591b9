package org.sundials4j.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * What the launcher's commands print besides their results: the usage text, kept in
 * {@code usage.txt} next to this class so that {@code bin/sundials4j bench --help} can print the
 * same text before anything is built, and the console streams.
 */
public final class Usage {
    private Usage() {}

    /** The usage text of every command, ending in a newline. */
    public static String text() {
        try (InputStream in = Usage.class.getResourceAsStream("usage.txt")) {
            if (in == null) throw new IllegalStateException("usage.txt is missing from the classpath next to " + Usage.class.getName());
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A UTF-8 stream on stdout or stderr. The JVM encodes System.out in the locale's charset, which
     * under the POSIX locale is ASCII and turns "µs" into "?s"; the output is UTF-8 regardless.
     */
    public static PrintStream utf8(FileDescriptor fd) {
        return new PrintStream(new FileOutputStream(fd), true, StandardCharsets.UTF_8);
    }
}
