package ddpo4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ddpo4j.io.LoraFiles;
import ddpo4j.nn.LoraLayers;
import ddpo4j.pipeline.StableDiffusionPipeline;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ddpo4j eval} end to end on the tiny reference pipeline (random weights). */
@Tag("slow")
class EvalCommandTest {
    @TempDir
    Path tmp;

    static Path tinySd() {
        Path dir = Path.of("..", "shared", "fixtures", "tiny-sd");
        Assumptions.assumeTrue(Files.isDirectory(dir), "../shared/fixtures/tiny-sd is absent: skipping eval end to end");
        return dir;
    }

    /** Runs {@code ddpo4j eval ARGS} through {@link Main#run}; returns its stdout, failing with stderr on a non-zero exit. */
    static String eval(String... args) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 1];
        all[0] = "eval";
        System.arraycopy(args, 0, all, 1, args.length);
        PrintStream saved = System.out;
        int code;
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            code = Main.run(new PrintWriter(err, true), all);
        } finally {
            System.setOut(saved);
        }
        assertEquals(0, code, err.toString());
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsMeanStderrAndPerPromptMeansReproducibly() throws Exception {
        Path model = tinySd();
        Path prompts = tmp.resolve("prompts.txt");
        Files.writeString(prompts, "three red circles\na blue square\n");
        String[] common = {"--model", model.toString(), "--prompts", prompts.toString(), "--reward", "brightness",
            "--samples-per-prompt", "3", "--steps", "2"};
        JsonNode a = new ObjectMapper().readTree(eval(concat(common, "--seed", "5", "--batch-size", "4", "--out", tmp.resolve("a").toString())));
        JsonNode b = new ObjectMapper().readTree(eval(concat(common, "--seed", "5", "--batch-size", "4")));
        JsonNode c = new ObjectMapper().readTree(eval(concat(common, "--seed", "5", "--batch-size", "2")));
        assertEquals(6, a.get("num_samples").asInt());
        assertEquals(prompts.toString(), a.get("prompt_set").asText());
        double mean = a.get("reward_mean").asDouble();
        assertTrue(mean > 0 && mean < 1, a.toString());
        assertTrue(a.get("reward_stderr").asDouble() > 0, a.toString());
        assertEquals(a.get("reward_std").asDouble() / Math.sqrt(6), a.get("reward_stderr").asDouble(), 1e-12);
        JsonNode perPrompt = a.get("reward_mean_per_prompt");
        assertEquals(2, perPrompt.size());
        assertEquals(mean, (perPrompt.get("three red circles").asDouble() + perPrompt.get("a blue square").asDouble()) / 2, 1e-9);
        // same seed, same batch size: the same numbers; another batch size: the same noise (GEMM blocking aside)
        assertEquals(a, b);
        assertEquals(mean, c.get("reward_mean").asDouble(), 1e-4);
        // --out: six PNGs and eval.json with every sample
        JsonNode details = new ObjectMapper().readTree(tmp.resolve("a/eval.json").toFile());
        assertEquals(6, details.get("samples").size());
        JsonNode s4 = details.get("samples").get(4);
        assertEquals("a blue square", s4.get("prompt").asText());
        assertEquals(1, s4.get("repeat").asInt());
        assertEquals(ddpo4j.pipeline.SeededNoise.sampleSeed(5, 4), s4.get("noise_seed").asLong());
        assertTrue(Files.isRegularFile(tmp.resolve("a").resolve(s4.get("file").asText())));
        // another seed, other images
        JsonNode d = new ObjectMapper().readTree(eval(concat(common, "--seed", "6")));
        assertNotEquals(mean, d.get("reward_mean").asDouble());
    }

    @Test
    void countAlignmentOnANamedSet() throws Exception {
        Path model = tinySd();
        JsonNode r = new ObjectMapper().readTree(eval("--model", model.toString(), "--prompts", "counting-heldout",
                "--reward", "count_alignment:mode=graded", "--samples-per-prompt", "1", "--steps", "2", "--out",
                tmp.toString()));
        assertEquals(8, r.get("num_samples").asInt());
        assertEquals("counting-heldout", r.get("prompt_set").asText());
        assertEquals(8, r.get("reward_mean_per_prompt").size());
        assertTrue(r.get("reward_mean_per_prompt").has("four blue squares"));
        JsonNode details = new ObjectMapper().readTree(tmp.resolve("eval.json").toFile());
        JsonNode info = details.get("samples").get(0).get("info");
        assertEquals(1, info.get("expected").asInt()); // "one green triangle"
        assertTrue(info.has("detected"), info.toString());
    }

    @Test
    void compareEvaluatesBaseAndLoraOnTheSameNoise() throws Exception {
        Path model = tinySd();
        Path loraDir = tmp.resolve("lora");
        try (StableDiffusionPipeline pipe = StableDiffusionPipeline.load(model); NDManager m = NDManager.newBaseManager()) {
            LoraLayers lora = LoraLayers.install(pipe.unet(), LoraLayers.ATTENTION_TARGETS, 2, 2);
            lora.initialize(m, 3);
            for (var p : lora.namedParameters("").values()) { // a LoRA that changes the images
                p.set(p.value().add(m.randomNormal(p.shape()).mul(0.5)));
            }
            LoraFiles.save(loraDir, lora, Map.of());
        }
        String[] common = {"--model", model.toString(), "--prompts", "counting-heldout", "--reward", "brightness",
            "--samples-per-prompt", "1", "--steps", "2"};
        JsonNode base = new ObjectMapper().readTree(eval(common));
        JsonNode tuned = new ObjectMapper().readTree(eval(concat(common, "--lora", loraDir.toString())));
        JsonNode both = new ObjectMapper().readTree(eval(concat(common, "--lora", loraDir.toString(), "--compare")));
        assertEquals(base.get("reward_mean"), both.get("base").get("reward_mean"));
        assertEquals(tuned.get("reward_mean"), both.get("fine_tuned").get("reward_mean"));
        assertNotEquals(base.get("reward_mean").asDouble(), tuned.get("reward_mean").asDouble());
        assertEquals(tuned.get("reward_mean").asDouble() - base.get("reward_mean").asDouble(),
                both.get("difference").get("reward_mean").asDouble(), 1e-9);
        assertTrue(both.get("difference").has("reward_stderr"));
    }

    @Test
    void badInputExitsWithTwo() {
        Path model = tinySd();
        StringWriter err = new StringWriter();
        assertEquals(2, Main.run(new PrintWriter(err, true), "eval", "--model", model.toString(), "--prompts",
                "counting-train", "--reward", "brightness", "--compare"));
        assertTrue(err.toString().contains("--compare needs --lora"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, Main.run(new PrintWriter(err, true), "eval", "--model", model.toString(), "--prompts", "nope",
                "--reward", "brightness"));
        assertTrue(err.toString().contains("neither a prompt set"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, Main.run(new PrintWriter(err, true), "eval", "--model", model.toString(), "--prompts",
                "counting-train", "--reward", "nope"));
        assertTrue(err.toString().contains("unknown reward"), err.toString());
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
