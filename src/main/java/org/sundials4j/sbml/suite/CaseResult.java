package org.sundials4j.sbml.suite;

import java.util.List;

/**
 * The verdict on one suite case. {@code worst} is the largest {@code |actual - expected| /
 * (absolute + relative·|expected|)} over all reported values (at most 1 to pass); {@code detail} says
 * where it was, or why the case failed or is unsupported.
 */
public record CaseResult(String id, Status status, String detail, double worst, double millis,
                         List<String> componentTags, List<String> testTags) {
    public enum Status { PASSED, FAILED, UNSUPPORTED }
}
