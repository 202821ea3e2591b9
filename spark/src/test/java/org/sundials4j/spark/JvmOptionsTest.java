package org.sundials4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.Test;

/**
 * {@code spark/jvm.options} (used by the tests' JVM and by tests/spark-cluster.sh for the master, the
 * workers and the driver) is exactly the list Spark itself adds on Java 17, so a Spark upgrade that
 * changes it fails here instead of on a cluster.
 */
class JvmOptionsTest {
    @Test
    void theOptionsFileIsSparksOwnList() throws Exception {
        List<String> file = Files.readAllLines(Path.of("jvm.options")).stream().map(String::strip)
                .filter(l -> !l.isEmpty()).toList();
        assertEquals(List.of(JavaModuleOptions.defaultModuleOptions().split(" ")), file);
    }
}
