package ddpo4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ddpo4j.io.ImageFiles;
import ddpo4j.rewards.FixedReward;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ddpo4j score} end to end through {@link Main#run}: real image files in, JSON lines out. */
class ScoreCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    Path dark;
    Path light;
    Path wide;
    final StringWriter err = new StringWriter();

    @BeforeEach
    void images() {
        dark = png("dark.png", 0.2f, 16, 16);
        light = png("light.png", 0.8f, 16, 16);
        wide = png("wide.png", 0.4f, 8, 12);
    }

    private Path png(String name, float v, int h, int w) {
        float[] chw = new float[3 * h * w];
        Arrays.fill(chw, v);
        Path p = tmp.resolve(name);
        ImageFiles.writePng(chw, 0, h, w, p);
        return p;
    }

    /** Runs the CLI, returning the exit code; stdout lines go to {@code lines}. */
    private int run(List<JsonNode> lines, String... args) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        int code;
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            code = Main.run(new PrintWriter(err, true), args);
        } finally {
            System.setOut(saved);
        }
        for (String line : buf.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return code;
    }

    @Test
    void jpegScoresOneLinePerImageInOrderWithOnePromptForAll() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        int code = run(out, "score", "--reward", "jpeg_compressibility", "--images", dark.toString(), wide.toString(),
                light.toString(), "--prompt", "a cat");
        assertEquals(0, code, err.toString());
        assertEquals(3, out.size());
        assertEquals(List.of(dark.toString(), wide.toString(), light.toString()),
                out.stream().map(l -> l.get("file").asText()).toList());
        for (JsonNode line : out) {
            assertEquals("a cat", line.get("prompt").asText());
            assertEquals(-line.get("info").get("jpeg_bytes").asLong() / 1000.0, line.get("score").asDouble(), 0);
        }
    }

    @Test
    void promptsPerImageMetadataPerImageAndBatchesBySize() throws Exception {
        Path meta = tmp.resolve("meta.json");
        Files.writeString(meta, "[{\"count\": 1}, {\"count\": 2}, {\"count\": 3}]");
        List<JsonNode> out = new ArrayList<>();
        int code = run(out, "score", "--reward", "java:class=" + EchoReward.class.getName(), "--images",
                dark.toString(), wide.toString(), light.toString(), "--prompt", "one", "--prompt", "two", "--prompt",
                "three", "--metadata", meta.toString());
        assertEquals(0, code, err.toString());
        assertEquals(List.of("one", "two", "three"), out.stream().map(l -> l.get("prompt").asText()).toList());
        assertEquals(2, out.get(1).get("info").get("metadata").get("count").asInt());
        assertEquals("two", out.get(1).get("info").get("prompt").asText(), "the reward saw the prompt");
        assertEquals(51 / 255.0, out.get(0).get("score").asDouble(), 1e-6);
        assertEquals(2, out.get(2).get("info").get("batch").asInt(), "the two 16x16 images form one batch");
        assertEquals("8x12", out.get(1).get("info").get("size").asText());
    }

    @Test
    void oneMetadataObjectAppliesToAllImages() throws Exception {
        Path meta = tmp.resolve("meta.json");
        Files.writeString(meta, "{\"animal\": \"cat\"}");
        List<JsonNode> out = new ArrayList<>();
        assertEquals(0, run(out, "score", "--reward", "java:class=" + EchoReward.class.getName(), "--images",
                dark.toString(), light.toString(), "--metadata", meta.toString()), err.toString());
        assertEquals("cat", out.get(1).get("info").get("metadata").get("animal").asText());
        assertEquals("", out.get(1).get("prompt").asText());
    }

    @Test
    void failedImagesGetAnErrorAndNoScoreAndExitCode1() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        int code = run(out, "score", "--reward", "java:class=" + FixedReward.ByPrompt.class.getName(), "--images",
                dark.toString(), light.toString(), "--prompt", "0.5", "--prompt", "nan");
        assertEquals(1, code);
        assertEquals(0.5, out.get(0).get("score").asDouble());
        assertTrue(out.get(1).get("score").isNull());
        assertTrue(out.get(1).get("error").asText().contains("score of sample 1 is NaN"), out.get(1).toString());
        assertTrue(err.toString().contains("1 of 2 images could not be scored"), err.toString());
    }

    @Test
    void badInputIsExitCode2WithOneMessage() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        assertEquals(2, run(out, "score", "--reward", "jpeg_compressibility", "--images", dark.toString(),
                light.toString(), wide.toString(), "--prompt", "a", "--prompt", "b"));
        assertTrue(err.toString().contains("--prompt gives 2 entries for 3 images"), err.toString());
        assertEquals(2, run(out, "score", "--reward", "jpg", "--images", dark.toString()));
        assertTrue(err.toString().contains("unknown reward 'jpg'"), err.toString());
        assertTrue(out.isEmpty());
    }
}
