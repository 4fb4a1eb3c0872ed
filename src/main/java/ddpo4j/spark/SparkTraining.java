package ddpo4j.spark;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import ddpo4j.Ddpo4jException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkException;
import org.apache.spark.SparkExecutorInfo;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import scala.reflect.ClassTag$;

/**
 * The driver of a Spark run: one barrier stage of {@link SparkJob#ranks()} tasks, each running the
 * whole training as one rank ({@link RankTask}); a failed stage is run again as a resume.
 */
public final class SparkTraining {
    private static final Pattern LOCAL_CLUSTER = Pattern.compile("local-cluster\\[\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,\\s*(\\d+)\\s*]");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long to wait for the executors (ddpo4j's own setting, given like any other with --spark-conf). */
    static final String WAIT = "spark.ddpo4j.executorWaitTimeout";
    /** Attempts in all, the first included; every later one resumes from the newest checkpoint. */
    static final String MAX_ATTEMPTS = "spark.ddpo4j.maxAttempts";

    private SparkTraining() {}

    /** The number of workers of a {@code local-cluster[N,C,M]} master, else 0. */
    public static int localClusterWorkers(String master) {
        Matcher m = master == null ? null : LOCAL_CLUSTER.matcher(master);
        return m != null && m.matches() ? Integer.parseInt(m.group(1)) : 0;
    }

    /**
     * Runs {@code job}; returns each rank's summary of its all-gathers (count, rounds, bytes sent,
     * seconds spent in them, a checksum of everything received), after checking that every rank
     * received the same bytes. A failed stage (a rank failed, an executor died) is run again as a
     * resume of the run dir, up to {@code spark.ddpo4j.maxAttempts} attempts in all (Spark itself
     * cannot retry a barrier result stage); a rank's {@link Ddpo4jException} (bad input, ranks
     * that disagree) ends the run at once, as it would fail again.
     */
    public static List<Map<String, Object>> run(SparkJob job) {
        quietSparkLogs();
        SparkConf conf = configure(job);
        int attempts = conf.getInt(MAX_ATTEMPTS, 3);
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            for (SparkJob attempt = job; ; attempt = attempt.retry()) {
                awaitIdleExecutors(sc, job.ranks(), conf.getTimeAsSeconds(WAIT, "180s"));
                try {
                    return stage(sc, attempt);
                } catch (Exception e) {
                    if (!(e instanceof SparkException)) {
                        throw e;
                    }
                    String refused = rankRefusal(e);
                    if (refused != null) {
                        throw new Ddpo4jException(refused, e); // bad input fails again on a retry: say it once
                    }
                    if (attempt.attempt() + 1 >= attempts) {
                        throw new Ddpo4jException("the Spark stage failed, attempt " + (attempt.attempt() + 1) + " of "
                                + attempts + " (" + firstLine(e) + "); the run dir keeps its newest checkpoint:"
                                + " continue with --resume " + job.runDir(), e);
                    }
                    System.err.println("ddpo4j: attempt " + attempt.attempt() + " failed (" + firstLine(e)
                            + "); resuming from the newest checkpoint");
                }
            }
        } catch (Exception e) {
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    /** One barrier stage: a task per rank, each running the whole training. */
    private static List<Map<String, Object>> stage(JavaSparkContext sc, SparkJob job) throws IOException {
        sc.setJobDescription("ddpo4j train " + job.runDir() + " (" + job.ranks() + " ranks, attempt " + job.attempt()
                + ")");
        RDD<Integer> ranks = sc.parallelize(IntStream.range(0, job.ranks()).boxed().toList(), job.ranks()).rdd();
        RDD<String> done = ranks.barrier().mapPartitions(new RankTask(job), false, ClassTag$.MODULE$.apply(String.class));
        List<Map<String, Object>> summaries = new ArrayList<>();
        for (String line : (String[]) done.collect()) {
            summaries.add(JSON.readValue(line, new TypeReference<Map<String, Object>>() {}));
        }
        requireSameExchanges(summaries);
        return summaries;
    }

    /** ddpo4j's defaults under the user's settings (spark-submit's, then --spark-conf's, win). */
    static SparkConf configure(SparkJob job) {
        SparkConf conf = new SparkConf(); // picks up spark.* system properties: spark-submit's settings
        if (job.master() != null) {
            conf.setMaster(job.master());
        }
        job.sparkConf().forEach(conf::set);
        String master = conf.get("spark.master", null);
        if (master == null) {
            throw new Ddpo4jException("no Spark master: give --spark MASTER (or run under spark-submit --master)");
        }
        if ((master.equals("local") || master.startsWith("local[")) && job.ranks() > 1) {
            throw new Ddpo4jException("--spark " + master + " runs every rank in one JVM, which cannot host two (DJL:"
                    + " one gradient collector at a time); use local-cluster[" + job.ranks() + ",1,2048]");
        }
        conf.setIfMissing("spark.app.name", "ddpo4j train " + Path.of(job.runDir()).getFileName());
        // one task per executor JVM (DJL: one gradient collector at a time per JVM)
        String cores = conf.get("spark.task.cpus", "1");
        conf.setIfMissing("spark.executor.cores", cores);
        // a standalone master then starts exactly one executor per rank (on YARN: spark.executor.instances)
        conf.setIfMissing("spark.cores.max", Integer.toString(job.ranks() * Integer.parseInt(cores)));
        conf.setIfMissing("spark.executor.instances", Integer.toString(job.ranks()));
        // the same libtorch threads and MKL mode on every rank as on this machine: the same bytes
        String threads = System.getenv("OMP_NUM_THREADS");
        if (threads != null) {
            conf.setIfMissing("spark.executorEnv.OMP_NUM_THREADS", threads);
        }
        String cbwr = System.getenv("MKL_CBWR");
        conf.setIfMissing("spark.executorEnv.MKL_CBWR", cbwr != null ? cbwr : "AUTO,STRICT");
        // two malloc arenas from the executor's start, as Main sets for the CLI (see tensor.NativeHeap)
        conf.setIfMissing("spark.executorEnv.MALLOC_ARENA_MAX", "2");
        conf.setIfMissing("spark.executor.extraJavaOptions", "-Xss4m " + QUIET);
        if (job.master() != null) {
            // started by ddpo4j, not spark-submit: executors load ddpo4j from where this driver does
            // (the same paths on every worker: a shared install); spark-submit ships --jars instead
            conf.setIfMissing("spark.executor.extraClassPath", System.getProperty("java.class.path"));
        }
        Matcher local = LOCAL_CLUSTER.matcher(master);
        if (local.matches()) {
            conf.setIfMissing("spark.executor.memory", local.group(3) + "m");
            LocalSparkHome.prepare(System.getenv("SPARK_HOME"), classPath());
        }
        return conf;
    }

    /**
     * Waits until {@code ranks} executors have registered and none runs a task: a barrier stage
     * submitted with fewer slots is refused and re-checked only every 15 s; executor JVMs take a
     * while to start (again, after one died); and a failed attempt's surviving ranks must have
     * stopped before the next attempt's ranks touch the run dir.
     */
    private static void awaitIdleExecutors(JavaSparkContext sc, int ranks, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (true) {
            SparkExecutorInfo[] executors = sc.sc().statusTracker().getExecutorInfos(); // the driver among them
            long busy = Arrays.stream(executors).filter(e -> e.numRunningTasks() > 0).count();
            if (executors.length - 1 >= ranks && busy == 0) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new Ddpo4jException((executors.length - 1) + " executors registered (" + ranks + " needed, one per"
                        + " rank), " + busy + " still busy, after " + seconds + " s (" + WAIT + ")");
            }
            Thread.sleep(200);
        }
    }

    private static List<Path> classPath() {
        List<Path> out = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!e.isBlank()) {
                out.add(Path.of(e).toAbsolutePath());
            }
        }
        return out;
    }

    /** slf4j-simple settings: Spark's INFO lines would drown the run's own output. */
    private static final String QUIET = "-Dorg.slf4j.simpleLogger.log.org.apache.spark=warn"
            + " -Dorg.slf4j.simpleLogger.log.org.sparkproject=warn -Dorg.slf4j.simpleLogger.log.org.apache.hadoop=warn"
            + " -Dorg.slf4j.simpleLogger.log.io.netty=warn";

    private static void quietSparkLogs() {
        for (String option : QUIET.split(" ")) {
            String[] kv = option.substring(2).split("=", 2);
            if (System.getProperty(kv[0]) == null) {
                System.setProperty(kv[0], kv[1]);
            }
        }
    }

    /** The message of a {@link Ddpo4jException} a rank threw (bad input, ranks that disagree), else null. */
    static String rankRefusal(Throwable e) {
        String m = String.valueOf(e.getMessage());
        String marker = Ddpo4jException.class.getName() + ": ";
        int at = m.indexOf(marker);
        if (at < 0) {
            return null;
        }
        int end = m.indexOf('\n', at);
        return m.substring(at + marker.length(), end < 0 ? m.length() : end).strip();
    }

    private static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** Checks that every rank exchanged the same bytes (the summaries' all-gather counts and checksums). */
    static void requireSameExchanges(List<Map<String, Object>> summaries) {
        for (Map<String, Object> s : summaries) {
            for (String key : List.of("all_gathers", "received_crc32c")) {
                if (!s.get(key).equals(summaries.get(0).get(key))) {
                    throw new Ddpo4jException("rank " + s.get("rank") + " saw " + key + " " + s.get(key) + ", rank 0 "
                            + summaries.get(0).get(key));
                }
            }
        }
    }
}
