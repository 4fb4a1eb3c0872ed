package ddpo4j.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import ddpo4j.Ddpo4jException;
import ddpo4j.nn.LoraLayers;
import ddpo4j.pipeline.SamplingOptions;
import ddpo4j.pipeline.StableDiffusionPipeline;
import ddpo4j.prompts.PromptFunctions;
import ddpo4j.rewards.Reward;
import ddpo4j.rewards.registry.Rewards;
import ddpo4j.testing.Fixtures;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reward server on loopback that starts failing: the run stops with a resumable checkpoint
 * (reward_failure=stop) or drops the failed batch and goes on (reward_failure=drop).
 */
@Tag("slow")
class RewardFailureTest {
    @TempDir
    Path tmp;

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    /** A reward server answering 0.1 * (image index) while {@code healthy} holds for the request number, else 500. */
    private String start(IntPredicate healthy) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/score", ex -> {
            int n = requests.getAndIncrement();
            JsonNode body = new ObjectMapper().readTree(ex.getRequestBody());
            byte[] out;
            int status;
            if (healthy.test(n)) {
                StringBuilder scores = new StringBuilder("{\"scores\": [");
                for (int i = 0; i < body.get("images").size(); i++) {
                    scores.append(i == 0 ? "" : ", ").append(0.1 * i);
                }
                out = scores.append("]}").toString().getBytes(StandardCharsets.UTF_8);
                status = 200;
            } else {
                out = "overloaded".getBytes(StandardCharsets.UTF_8);
                status = 500;
            }
            ex.sendResponseHeaders(status, out.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(out);
            }
        });
        server.start();
        return "http:url=http://127.0.0.1:" + server.getAddress().getPort() + "/score,retries=0,timeout=10";
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private List<Map<String, Object>> run(Path dir, String reward, String policy, int epochs, boolean resume) {
        TrainConfig cfg = TrainConfig.resolve(null, List.of("pretrained.model=" + Fixtures.tinySd(),
                "reward_fn=" + reward, "reward_failure=" + policy, "num_epochs=" + epochs, "save_freq=10",
                "sample.num_steps=2", "sample.batch_size=2", "sample.num_batches_per_epoch=2", "train.batch_size=2",
                "per_prompt_stat_tracking.min_count=2", "save_images=0"));
        try (StableDiffusionPipeline pipe = StableDiffusionPipeline.load(Fixtures.tinySd());
                NDManager m = NDManager.newBaseManager();
                Reward r = Rewards.create(reward)) {
            LoraLayers lora = LoraLayers.install(pipe.unet(), LoraLayers.ATTENTION_PROJECTIONS, 4, 4);
            lora.initialize(m, 1);
            DiffusionPolicy policyModel = new DiffusionPolicy(pipe, lora, new SamplingOptions(2, 5, 1, 0, 0), true);
            RunDir run = new RunDir(dir);
            Trainer t = new Trainer(cfg, policyModel, r, PromptFunctions.create("fixed", Map.of()), run,
                    new TrainingListener() {});
            try {
                t.train(resume ? t.resume() : 0);
            } finally {
                t.close();
            }
            return run.readMetrics();
        }
    }

    @Test
    void stopPolicyCheckpointsAndResumes() throws Exception {
        String spec = start(n -> n < 2 || n >= 4); // epoch 0 fine (2 batches), epoch 1 fails, later fine
        Path dir = tmp.resolve("run");
        Ddpo4jException e = assertThrows(Ddpo4jException.class, () -> run(dir, spec, "stop", 3, false));
        assertTrue(e.getMessage().contains("reward failed") && e.getMessage().contains("--resume"), e.getMessage());
        assertTrue(Files.isRegularFile(dir.resolve("checkpoints/epoch_000000/state.json")), "checkpoint before the failure");
        assertEquals(1, new RunDir(dir).readMetrics().size());
        List<Map<String, Object>> metrics = run(dir, spec, "stop", 3, true);
        assertEquals(3, metrics.size());
        assertEquals(2, ((Number) metrics.get(2).get("epoch")).intValue());
    }

    @Test
    void dropPolicyDropsTheFailedBatch() throws Exception {
        String spec = start(n -> n != 1); // the second batch of epoch 0 fails
        List<Map<String, Object>> metrics = run(tmp.resolve("run"), spec, "drop", 2, false);
        assertEquals(2, ((Number) metrics.get(0).get("num_samples")).intValue());
        assertEquals(4, ((Number) metrics.get(1).get("num_samples")).intValue());
        assertEquals(2L, ((Number) metrics.get(0).get("reward_failed_images")).longValue());
    }
}
