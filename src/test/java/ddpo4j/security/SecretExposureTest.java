package ddpo4j.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import ddpo4j.testing.Fixtures;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An API key planted in an environment variable reaches the reward server and appears nowhere else:
 * not in the run's output, config, metrics, checkpoints, LoRA metadata or report.
 */
@Tag("slow")
class SecretExposureTest {
    private static final String KEY = "sk-planted-7f3a9c1e5b";

    @TempDir
    Path tmp;

    @Test
    void plantedKeyIsSentButNeverWritten() throws Exception {
        AtomicInteger authorized = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/score", ex -> {
            if (("Bearer " + KEY).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                authorized.incrementAndGet();
            }
            JsonNode body = new ObjectMapper().readTree(ex.getRequestBody());
            StringBuilder out = new StringBuilder("{\"scores\": [");
            for (int i = 0; i < body.get("images").size(); i++) {
                out.append(i == 0 ? "" : ",").append(0.1 * i);
            }
            byte[] bytes = out.append("]}").toString().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, bytes.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(bytes);
            }
        });
        server.start();
        Path run = tmp.resolve("run");
        try {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "ddpo4j.cli.Main", "train", "--run-dir", run.toString()));
            for (String set : List.of("pretrained.model=" + Fixtures.tinySd().toAbsolutePath(),
                    "reward_fn=http:url=http://127.0.0.1:" + server.getAddress().getPort()
                            + "/score,auth_env=DDPO4J_TEST_KEY,auth_header=Authorization",
                    "sample.num_steps=2", "sample.batch_size=2", "sample.num_batches_per_epoch=1", "train.batch_size=2",
                    "num_epochs=1", "per_prompt_stat_tracking.min_count=2")) {
                cmd.add("--set");
                cmd.add(set);
            }
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("DDPO4J_TEST_KEY", "Bearer " + KEY);
            pb.environment().put("OMP_NUM_THREADS", "1");
            Process p = pb.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), output);
            assertTrue(authorized.get() > 0, "the server saw the key");
            assertFalse(output.contains(KEY), "key in the console output");
            try (Stream<Path> files = Files.walk(run)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    byte[] content = Files.readAllBytes(f);
                    assertFalse(new String(content, StandardCharsets.ISO_8859_1).contains(KEY), "key in " + f);
                }
            }
            assertTrue(Files.readString(run.resolve("config.yaml")).contains("auth_env=DDPO4J_TEST_KEY"));
        } finally {
            server.stop(0);
        }
    }
}
