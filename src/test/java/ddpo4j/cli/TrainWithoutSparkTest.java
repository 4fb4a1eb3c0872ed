package ddpo4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CLI on a class path without Spark, as the launcher starts every command but {@code --spark}
 * ones: {@code train} must load and parse (Spark is reached only through {@link SparkTrain}), and
 * {@code --spark} must say what is missing instead of failing with NoClassDefFoundError.
 */
class TrainWithoutSparkTest {

    @Test
    void trainLoadsWithoutSparkAndSparkRunsSayWhatIsMissing() throws Exception {
        try (URLClassLoader loader = new URLClassLoader(classPathWithoutSpark(), ClassLoader.getPlatformClassLoader())) {
            assertThrows(ClassNotFoundException.class, () -> loader.loadClass("org.apache.spark.SparkContext"));
            Class<?> main = loader.loadClass(Main.class.getName());
            StringWriter err = new StringWriter();
            Object help = main.getMethod("run", PrintWriter.class, String[].class).invoke(null, new PrintWriter(err, true),
                    new String[] {"train", "--help"});
            assertEquals(0, help, err.toString());
            Object spark = main.getMethod("run", PrintWriter.class, String[].class).invoke(null, new PrintWriter(err, true),
                    new String[] {"train", "--spark", "local-cluster[2,1,1024]", "--run-dir", "unused",
                        "--set", "pretrained.model=unused"});
            assertEquals(2, spark, err.toString());
            assertTrue(err.toString().contains("--spark needs Spark on the class path"), err.toString());
        }
    }

    /** This test's class path less Spark and Scala (Maven's repository layout names their folders). */
    private static URL[] classPathWithoutSpark() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String slashed = entry.replace(File.separatorChar, '/');
            if (!slashed.contains("/org/apache/spark/") && !slashed.contains("/org/scala-lang/")) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        return urls.toArray(URL[]::new);
    }
}
