package ddpo4j.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import ddpo4j.Ddpo4jException;
import ddpo4j.report.ReportListener;
import ddpo4j.rl.TrainConfig;
import ddpo4j.rl.Trainer;
import ddpo4j.rl.TrainingListener;
import ddpo4j.rl.TrainingSetup;
import ddpo4j.tensor.GradMode;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

/**
 * The body of one barrier task: the whole training run as one rank, returning a one-line JSON
 * summary of its all-gathers (and of the {@link AllGatherProbe}, when asked for).
 */
final class RankTask extends AbstractFunction1<Iterator<Integer>, Iterator<String>> implements Serializable {
    private static final long serialVersionUID = 1L;
    /** DJL allows one gradient collector per JVM: two ranks in one executor would trip over each other. */
    private static final AtomicBoolean RUNNING = new AtomicBoolean();
    /** Base64 characters per all-gather round ({@link BarrierCollective#CHUNK} unless set; tests set it small). */
    static final String CHUNK_SETTING = "spark.ddpo4j.allGatherChunk";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SparkJob job;

    RankTask(SparkJob job) {
        this.job = job;
    }

    @Override
    public Iterator<String> apply(Iterator<Integer> partition) {
        if (!RUNNING.compareAndSet(false, true)) {
            throw new Ddpo4jException("two ranks in one executor JVM: give each executor one task"
                    + " (spark.executor.cores equal to spark.task.cpus)");
        }
        try {
            return CollectionConverters.asScala(List.of(train(BarrierTaskContext.get())).iterator());
        } finally {
            RUNNING.set(false);
        }
    }

    private String train(BarrierTaskContext context) {
        GradMode.off(); // a Spark task thread, not the one that loaded libtorch
        SparkConf settings = SparkEnv.get().conf();
        int chunk = settings.getInt(CHUNK_SETTING, BarrierCollective.CHUNK);
        Map<String, Object> summary = new LinkedHashMap<>(AllGatherProbe.run(BarrierCollective.of(context, chunk),
                settings.getInt(AllGatherProbe.BYTES, 0)));
        BarrierCollective ranks = BarrierCollective.of(context, chunk);
        int attempt = job.attempt();
        Path runDir = Path.of(job.runDir());
        TrainingListener listener = TrainingListener.all(
                ranks.isLeader() ? new ReportListener(runDir) : new TrainingListener() {},
                new ExecutorLog(ranks.rank()), FaultInjection.forRank(ranks.rank(), attempt));
        try (Trainer trainer = TrainingSetup.open(config(), runDir, listener, ranks)) {
            int first = job.resume() ? trainer.resume() : 0;
            System.out.println("ddpo4j rank " + ranks.rank() + "/" + ranks.size() + ", attempt " + attempt
                    + ": epochs from " + first);
            trainer.train(first);
            summary.put("rank", ranks.rank());
            summary.put("attempt", attempt);
            summary.put("first_epoch", first);
            summary.putAll(ranks.traffic().toMap());
            return JSON.writeValueAsString(summary);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private TrainConfig config() {
        try {
            Path file = Files.createTempFile("ddpo4j-config", ".yaml");
            try {
                Files.writeString(file, job.configYaml());
                return TrainConfig.resolve(file, List.of());
            } finally {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One line per epoch and every message, in the executor's stdout (Spark keeps it with the executor's logs). */
    private record ExecutorLog(int rank) implements TrainingListener {
        @Override
        public void epochEnd(Map<String, Object> metrics) {
            System.out.println("ddpo4j rank " + rank + ": epoch " + metrics.get("epoch") + " reward_mean "
                    + metrics.get("reward_mean") + " loss " + metrics.get("loss"));
        }

        @Override
        public void message(String text) {
            System.out.println("ddpo4j rank " + rank + ": " + text);
        }
    }
}
