package ddpo4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.Test;

/** The launcher script's Spark branch, which must keep up with the Spark version in pom.xml. */
class LauncherTest {
    private static final Path LAUNCHER = Path.of("ddpo4j");

    /** The JVM options the launcher passes for --spark are exactly the ones this Spark asks for. */
    @Test
    void sparkJvmOptionsAreSparksOwn() throws Exception {
        String script = Files.readString(LAUNCHER);
        int start = script.indexOf("spark_opts=(");
        assertTrue(start >= 0, "no spark_opts=( in " + LAUNCHER);
        String block = script.substring(start + "spark_opts=(".length(), script.indexOf(')', start));
        List<String> options = new ArrayList<>();
        for (String token : block.split("\\s+")) {
            if (!token.isBlank()) {
                options.add(token);
            }
        }
        assertEquals(List.of(JavaModuleOptions.defaultModuleOptionArray()), options);
    }

    /** Only a Spark run gets Spark's jars: a plain run starts from the jar and its manifest class path. */
    @Test
    void onlySparkRunsPutSparkOnTheClassPath() throws Exception {
        List<String> lines = Files.readAllLines(LAUNCHER);
        List<String> withSparkLib = lines.stream().filter(l -> l.contains("spark-lib")).toList();
        assertEquals(1, withSparkLib.size(), "one command line with target/spark-lib: " + withSparkLib);
        assertTrue(lines.get(lines.size() - 1).startsWith("exec java ${DDPO4J_JAVA_OPTS:-} -jar \"$jar\""),
                "the last line runs the jar alone: " + lines.get(lines.size() - 1));
    }
}
