package org.sundials4j.spark;

import java.io.Serializable;

/**
 * Makes a task's worker (a solver) on the executor, on the task's thread. Shipped to the executors
 * with the job, so it must be serializable and small: build the model there, do not capture it.
 */
@FunctionalInterface
public interface WorkerFactory<W> extends Serializable {
    W create() throws Exception;
}
