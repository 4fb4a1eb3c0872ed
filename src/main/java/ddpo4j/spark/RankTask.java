package ddpo4j.spark;

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
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.BarrierTaskContext;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

/**
 * The body of one barrier task: the whole training run as one rank, returning a one-line JSON
 * summary of its all-gathers. A retried stage (an executor died) resumes the run dir from its
 * newest checkpoint, as {@code --resume} does, so no epoch is lost or run twice.
 */
final class RankTask extends AbstractFunction1<Iterator<Integer>, Iterator<String>> implements Serializable {
    private static final long serialVersionUID = 1L;
    /** DJL allows one gradient collector per JVM: two ranks in one executor would trip over each other. */
    private static final AtomicBoolean RUNNING = new AtomicBoolean();

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
        BarrierCollective ranks = new BarrierCollective(context);
        int attempt = context.stageAttemptNumber();
        Path runDir = Path.of(job.runDir());
        TrainingListener listener = TrainingListener.all(
                ranks.isLeader() ? new ReportListener(runDir) : new TrainingListener() {},
                new ExecutorLog(ranks.rank()), FaultInjection.forRank(ranks.rank(), attempt));
        try (Trainer trainer = TrainingSetup.open(config(), runDir, listener, ranks)) {
            int first = job.resume() || attempt > 0 ? trainer.resume() : 0;
            System.out.println("ddpo4j rank " + ranks.rank() + "/" + ranks.size() + ", stage attempt " + attempt
                    + ": epochs from " + first);
            trainer.train(first);
            return ranks.traffic().toJson(ranks.rank(), attempt, first);
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
