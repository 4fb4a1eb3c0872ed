package ddpo4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ddpo4j.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code ddpo4j bench} prints one JSON object with the contracted fields (values are not asserted: no timing tests). */
@Tag("slow")
class BenchCommandTest {
    /** Runs {@code bench} with {@code args} and returns what it printed on stdout. */
    private static String bench(String... args) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        int code;
        StringWriter err = new StringWriter();
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            String[] all = new String[args.length + 3];
            all[0] = "bench";
            all[1] = "--model";
            all[2] = Fixtures.tinySd().toString();
            System.arraycopy(args, 0, all, 3, args.length);
            code = Main.run(new PrintWriter(err, true), all);
        } finally {
            System.setOut(old);
        }
        assertEquals(0, code, err.toString());
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsTheContractedFields() throws Exception {
        String out = bench("--steps", "2", "--repeats", "1");
        String[] lines = out.strip().split("\n");
        JsonNode json = new ObjectMapper().readTree(lines[lines.length - 1]);
        for (String k : new String[] {"sampling_images_per_s", "train_samples_per_s", "epoch_seconds", "peak_rss_mb",
            "threads"}) {
            assertTrue(json.has(k) && json.get(k).isNumber() && json.get(k).asDouble() > 0, k + " in " + json);
        }
    }

    @Test
    void soakPrintsRssPerEpochAndTheGrowthAfterWarmUp() throws Exception {
        String out = bench("--steps", "1", "--soak-epochs", "11");
        ObjectMapper json = new ObjectMapper();
        java.util.List<JsonNode> lines = new java.util.ArrayList<>();
        for (String l : out.strip().split("\n")) {
            if (l.startsWith("{")) {
                lines.add(json.readTree(l));
            }
        }
        assertEquals(12, lines.size(), out);
        for (int e = 0; e < 11; e++) {
            assertEquals(e, lines.get(e).get("epoch").asInt());
            assertTrue(lines.get(e).get("rss_mb").asDouble() > 0, lines.get(e).toString());
        }
        JsonNode summary = lines.get(11);
        assertEquals(11, summary.get("soak_epochs").asInt());
        double base = summary.get("rss_mb_after_warm_up").asDouble();
        double max = summary.get("rss_mb_max_after_warm_up").asDouble();
        assertEquals(100 * (max - base) / base, summary.get("growth_after_warm_up_pct").asDouble(), 1e-9);
        assertEquals(lines.get(9).get("rss_mb").asDouble(), base, 1e-9);
    }
}
