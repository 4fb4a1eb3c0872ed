package ddpo4j.spark;

import ddpo4j.Ddpo4jException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The Spark home that {@code local-cluster[N,C,M]} masters need: that mode starts a standalone
 * master and N workers inside the driver, and each worker launches its executor JVM with
 * {@code $SPARK_HOME/jars/*} on the class path and writes into {@code $SPARK_HOME/work}. A Maven
 * build has no Spark distribution, so {@code jars/} is made of links to the driver's class path jars.
 */
final class LocalSparkHome {
    private LocalSparkHome() {}

    /**
     * {@code $SPARK_HOME} (the workers read the environment variable, which a running JVM cannot
     * set) with {@code jars/} linking exactly the jars of {@code classPath}.
     */
    static Path prepare(String sparkHomeVariable, List<Path> classPath) {
        if (sparkHomeVariable == null || sparkHomeVariable.isBlank()) {
            throw new Ddpo4jException("a local-cluster master needs SPARK_HOME: the ./ddpo4j launcher sets it to"
                    + " target/spark-home; elsewhere set it to any folder (its jars/ is filled from the class path)");
        }
        Path home = Path.of(sparkHomeVariable).toAbsolutePath();
        Path jars = home.resolve("jars");
        try {
            Files.createDirectories(jars);
            // how Spark's launcher tells the Scala version of a home without SPARK_SCALA_VERSION set
            Files.createDirectories(home.resolve("launcher/target/scala-2.13"));
            Set<String> wanted = new HashSet<>();
            for (Path entry : classPath) {
                String name = entry.getFileName().toString();
                if (!name.endsWith(".jar") || !Files.isRegularFile(entry) || !wanted.add(name)) {
                    continue; // folders (target/classes) reach executors through spark.executor.extraClassPath
                }
                Path link = jars.resolve(name);
                if (!Files.exists(link)) {
                    Files.deleteIfExists(link); // a dangling link from an older build
                    Files.createSymbolicLink(link, entry.toAbsolutePath());
                }
            }
            try (Stream<Path> old = Files.list(jars)) {
                for (Path p : old.filter(p -> !wanted.contains(p.getFileName().toString())).toList()) {
                    if (Files.isSymbolicLink(p)) {
                        Files.delete(p); // jars of an earlier build's class path
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Spark home " + home, e);
        }
        return home;
    }
}
