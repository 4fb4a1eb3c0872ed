package ddpo4j.cli;

import ddpo4j.Ddpo4jException;
import ddpo4j.io.BundledFiles;
import ddpo4j.report.PairedEvaluation;
import ddpo4j.report.ReportListener;
import ddpo4j.rl.TrainConfig;
import ddpo4j.rl.Trainer;
import ddpo4j.rl.TrainingSetup;
import ddpo4j.rl.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ddpo4j train}: DDPO fine-tuning from a config file and overrides, resumable. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Fine-tune with DDPO (DDPO-IS or DDPO-SF), LoRA or full UNet. With no arguments: "
                + "configs/shapes-incompressibility.yaml on the bundled model; with --set only: ddpo-pytorch's defaults. "
                + "Keys: see docs/configuration.md.")
public final class TrainCommand implements Callable<Integer> {
    /** What {@code ./ddpo4j train} runs without --config: count alignment on the bundled shapes model. */
    static final String DEFAULT_CONFIG = "shapes-incompressibility.yaml";

    @Option(names = "--config", description = "YAML or JSON config (ddpo-pytorch key names)")
    Path config;

    @Option(names = "--set", description = "override a key: --set train.learning_rate=1e-4 (repeatable)")
    List<String> sets = new ArrayList<>();

    @Option(names = "--run-dir", description = "run folder (default: <logdir>/<run_name or timestamp>)")
    Path runDir;

    @Option(names = "--resume", description = "continue the run in this folder from its newest checkpoint")
    Path resume;

    @Option(names = "--detect-anomaly", description = "after each backward, stop at the first non-finite loss or"
            + " gradient, naming the parameter and where (same as --set train.detect_anomaly=true)")
    boolean detectAnomaly;

    @Option(names = "--spark", paramLabel = "MASTER", description = "run as --ranks data-parallel ranks on this Spark"
            + " master: local-cluster[2,1,2048] on one machine, spark://HOST:7077, yarn, ... (docs/spark.md)")
    String spark;

    @Option(names = "--ranks", description = "number of ranks with --spark (default: a local-cluster master's workers)")
    Integer ranks;

    @Option(names = "--spark-conf", paramLabel = "KEY=VALUE", description = "a Spark setting for --spark, e.g."
            + " spark.executor.memory=8g (repeatable)")
    Map<String, String> sparkConf = new LinkedHashMap<>();

    @Override
    public Integer call() {
        List<String> overrides = new ArrayList<>(sets);
        if (detectAnomaly) {
            overrides.add("train.detect_anomaly=true");
        }
        TrainConfig cfg;
        Path dir;
        if (resume != null) {
            if (!Files.isRegularFile(resume.resolve("config.yaml"))) {
                throw new Ddpo4jException("--resume " + resume + ": no config.yaml there (not a run dir?)");
            }
            if (config != null) {
                throw new Ddpo4jException("--resume uses the run's own config.yaml; give changes with --set");
            }
            cfg = TrainConfig.resolve(resume.resolve("config.yaml"), overrides);
            dir = resume;
        } else {
            // no arguments at all: the default main job on the bundled model; with --set only, base.py defaults
            Path file = config != null ? config : sets.isEmpty() ? BundledFiles.config(DEFAULT_CONFIG) : null;
            cfg = TrainConfig.resolve(file, overrides);
            String name = cfg.getString("run_name").isEmpty()
                    ? LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd_HHmmss"))
                    : cfg.getString("run_name");
            dir = runDir != null ? runDir : Path.of(cfg.getString("logdir")).resolve(name);
        }
        if (spark != null) {
            return SparkTrain.run(spark, ranks, sparkConf, cfg, dir, resume != null);
        }
        TrainingListener listener = TrainingListener.all(new ReportListener(dir),
                new ConsoleListener(cfg.getInt("num_epochs")));
        try (Trainer trainer = TrainingSetup.open(cfg, dir, listener)) {
            int first = resume != null ? trainer.resume() : 0;
            System.out.println("run dir " + dir.toAbsolutePath() + ", epochs " + first + ".."
                    + (cfg.getInt("num_epochs") - 1) + ", trainable parameters " + trainer.trainableParameterCount());
            trainer.train(first);
        }
        PairedEvaluation.of(dir.resolve("samples")).lines().forEach(System.out::println);
        System.out.println("done: " + dir.resolve("metrics.jsonl"));
        return 0;
    }

    /** Progress bars on a terminal and one summary line per epoch in any case. */
    static final class ConsoleListener implements TrainingListener {
        private final int epochs;
        private ProgressBar sampling;
        private ProgressBar training;

        ConsoleListener(int epochs) {
            this.epochs = epochs;
        }

        @Override
        public void samplingProgress(int epoch, int done, int total) {
            if (done == 1 || sampling == null) {
                sampling = new ProgressBar("epoch " + epoch + " sampling", total, System.err);
            }
            sampling.update(done);
        }

        @Override
        public void trainingProgress(int epoch, int done, int total) {
            if (done == 1 || training == null) {
                training = new ProgressBar("epoch " + epoch + " training", total, System.err);
            }
            training.update(done);
        }

        @Override
        public void epochEnd(Map<String, Object> m) {
            System.out.printf("epoch %d/%d  reward %.4f ± %.4f  loss %+.4f  kl %.2e  clipfrac %.3f  ratio0 %.6f"
                    + "  %.1fs sampling, %.1fs reward wait, %.1fs training  peak %.0f MB%n",
                    (Integer) m.get("epoch") + 1, epochs, m.get("reward_mean"), m.get("reward_std"), m.get("loss"),
                    m.get("approx_kl"), m.get("clipfrac"), m.get("ratio_at_start"), m.get("seconds_sampling"),
                    m.get("seconds_reward_wait"), m.get("seconds_training"), m.get("peak_rss_mb"));
            if (m.get("optimizer_steps_skipped") instanceof Double skipped && skipped > 0) {
                System.out.printf("  (loss, kl and clipfrac over the %.0f optimizer steps taken; %.0f skipped steps"
                        + " left out)%n", m.get("optimizer_steps"), skipped);
            }
        }

        @Override
        public void message(String text) {
            System.out.println(text);
        }

        @Override
        public void warning(String text) {
            System.err.println("warning: " + text);
        }
    }
}
