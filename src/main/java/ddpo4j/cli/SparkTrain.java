package ddpo4j.cli;

import ddpo4j.Ddpo4jException;
import ddpo4j.io.BundledFiles;
import ddpo4j.rl.TrainConfig;
import ddpo4j.spark.SparkJob;
import ddpo4j.spark.SparkTraining;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code train --spark MASTER}: hands the resolved run to {@link SparkTraining}. The only class of
 * the CLI that names the {@code ddpo4j.spark} package, and it is reached only with {@code --spark},
 * so a single-machine {@code train} never loads Spark (whose jars the launcher adds only then).
 */
final class SparkTrain {
    /** The {@code --spark} value that {@link SparkTrainMain} passes: spark-submit's configuration names the master. */
    static final String SUBMITTED = "spark-submit";

    private SparkTrain() {}

    static int run(String master, Integer ranks, Map<String, String> conf, TrainConfig cfg, Path dir, boolean resume) {
        try {
            Class.forName("org.apache.spark.SparkContext", false, SparkTrain.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new Ddpo4jException("--spark needs Spark on the class path: run ./ddpo4j (it adds target/spark-lib/*"
                    + " for --spark) or spark-submit (docs/spark.md)");
        }
        cfg.validate(); // bad input fails here, before a cluster starts
        String url = SUBMITTED.equals(master) ? null : master;
        int n = ranks != null ? ranks : SparkTraining.localClusterWorkers(url);
        if (n < 1) {
            throw new Ddpo4jException("--ranks N is needed with --spark " + master);
        }
        // the executors run elsewhere (another working directory at least): hand them absolute paths
        TrainConfig absolute = cfg;
        for (String key : List.of("pretrained.model", "init_lora")) {
            String v = cfg.getString(key);
            if (!v.isEmpty() && !v.startsWith(BundledFiles.PREFIX) && Files.exists(Path.of(v))) {
                absolute = absolute.with(key, Path.of(v).toAbsolutePath().normalize().toString());
            }
        }
        String runDir = dir.toAbsolutePath().normalize().toString();
        System.out.println("run dir " + runDir + ", " + n + " ranks on Spark " + (url == null ? "(spark-submit)" : url)
                + (resume ? ", resuming" : ""));
        List<Map<String, Object>> summaries;
        try (MetricsTail progress = new MetricsTail(Path.of(runDir, "metrics.jsonl"), System.out, 2000)) {
            summaries = SparkTraining.run(new SparkJob(url, n, conf, absolute.toYaml(), runDir, resume));
        }
        for (Map<String, Object> s : summaries) {
            if (s.containsKey("probe_bytes_per_rank")) {
                System.out.printf("rank %s: all-gather of %s bytes per rank: %s s%n", s.get("rank"),
                        s.get("probe_bytes_per_rank"), s.get("probe_seconds_per_all_gather"));
            }
            System.out.printf("rank %s: attempt %s, epochs from %s, %s all-gathers (%s rounds), %s bytes sent,"
                    + " %s s in all-gathers%n", s.get("rank"), s.get("attempt"), s.get("first_epoch"),
                    s.get("all_gathers"), s.get("rounds"), s.get("bytes_sent"), s.get("seconds_in_all_gather"));
        }
        System.out.println("every rank received the same bytes (crc32c " + summaries.get(0).get("received_crc32c")
                + "), weights checked equal after every optimizer step");
        System.out.println("done: " + Path.of(runDir).resolve("metrics.jsonl"));
        return 0;
    }
}
