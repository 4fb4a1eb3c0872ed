package ddpo4j.spark;

import java.io.Serializable;
import java.util.Map;

/**
 * One Spark run of {@code train}, as the driver hands it to every rank: plain strings, so a task
 * deserializes it without loading any model class. {@code configYaml} is the resolved config (as
 * the run dir's config.yaml holds it), {@code runDir} an absolute path on storage every executor
 * shares; {@code resume} continues that run dir from its newest checkpoint.
 *
 * @param master the Spark master URL; null under spark-submit, whose configuration names it
 * @param ranks the number of ranks (tasks of the barrier stage)
 * @param sparkConf Spark settings given on the command line; they win over ddpo4j's defaults
 * @param attempt 0, then 1, 2... for the driver's retries after a failed stage (which resume)
 */
public record SparkJob(String master, int ranks, Map<String, String> sparkConf, String configYaml, String runDir,
        boolean resume, int attempt) implements Serializable {
    private static final long serialVersionUID = 1L;

    public SparkJob {
        sparkConf = Map.copyOf(sparkConf);
    }

    /** A first attempt. */
    public SparkJob(String master, int ranks, Map<String, String> sparkConf, String configYaml, String runDir,
            boolean resume) {
        this(master, ranks, sparkConf, configYaml, runDir, resume, 0);
    }

    /** The next attempt after a failure: it resumes the run dir from its newest checkpoint. */
    SparkJob retry() {
        return new SparkJob(master, ranks, sparkConf, configYaml, runDir, true, attempt + 1);
    }
}
