package ddpo4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpo4j.Ddpo4jException;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;

/** The driver's Spark settings and failure handling, without starting Spark. */
class SparkTrainingTest {
    private static SparkJob job(String master, int ranks, Map<String, String> conf) {
        return new SparkJob(master, ranks, conf, "num_epochs: 1\n", "/shared/runs/x", false);
    }

    @Test
    void oneTaskPerExecutorAndTheDriversThreadsUnlessTheUserSaysOtherwise() {
        SparkConf conf = SparkTraining.configure(job("spark://head:7077", 4, Map.of("spark.task.cpus", "2")));
        assertEquals("spark://head:7077", conf.get("spark.master"));
        assertEquals("2", conf.get("spark.executor.cores"), "executor cores = task cpus: one rank per JVM");
        assertEquals("8", conf.get("spark.cores.max"));
        assertEquals("4", conf.get("spark.executor.instances"));
        assertEquals(System.getProperty("java.class.path"), conf.get("spark.executor.extraClassPath"));
        assertEquals(System.getenv().getOrDefault("MKL_CBWR", "AUTO,STRICT"), conf.get("spark.executorEnv.MKL_CBWR"));
        assertEquals("ddpo4j train x", conf.get("spark.app.name"));
        assertEquals("2", conf.get("spark.executorEnv.MALLOC_ARENA_MAX"));

        SparkConf mine = SparkTraining.configure(job("spark://head:7077", 2, Map.of("spark.executor.cores", "3",
                "spark.executorEnv.MKL_CBWR", "COMPATIBLE")));
        assertEquals("3", mine.get("spark.executor.cores"));
        assertEquals("COMPATIBLE", mine.get("spark.executorEnv.MKL_CBWR"));
    }

    @Test
    void oneJvmMastersAreRefusedForSeveralRanks() {
        Ddpo4jException e = assertThrows(Ddpo4jException.class, () -> SparkTraining.configure(job("local[2]", 2, Map.of())));
        assertTrue(e.getMessage().contains("local-cluster[2,1,2048]"), e.getMessage());
        assertEquals("local[1]", SparkTraining.configure(job("local[1]", 1, Map.of())).get("spark.master"));
    }

    @Test
    void localClusterMastersNameTheirWorkersAndMemory() {
        assertEquals(3, SparkTraining.localClusterWorkers("local-cluster[3, 1, 1024]"));
        assertEquals(0, SparkTraining.localClusterWorkers("spark://head:7077"));
        assertEquals(0, SparkTraining.localClusterWorkers(null));
    }

    @Test
    void aRanksBadInputIsReportedOnceNotRetried() {
        SparkException rankFailed = new SparkException("Job aborted due to stage failure: Task 0 in stage 2.0 failed:"
                + " ddpo4j.Ddpo4jException: invalid training config: num_epochs and save_freq must be >= 1\n\tat ...");
        assertEquals("invalid training config: num_epochs and save_freq must be >= 1",
                SparkTraining.rankRefusal(rankFailed));
        assertNull(SparkTraining.rankRefusal(new SparkException("Job aborted due to stage failure: ExecutorLostFailure"
                + " (executor 1 exited caused by one of the running tasks) Reason: Command exited with code 137")));
    }
}
