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
    @Test
    void printsTheContractedFields() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        int code;
        StringWriter err = new StringWriter();
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            code = Main.run(new PrintWriter(err, true), "bench", "--model", Fixtures.tinySd().toString(), "--steps",
                    "2", "--repeats", "1");
        } finally {
            System.setOut(old);
        }
        assertEquals(0, code, err.toString());
        String[] lines = buf.toString(StandardCharsets.UTF_8).strip().split("\n");
        JsonNode json = new ObjectMapper().readTree(lines[lines.length - 1]);
        for (String k : new String[] {"sampling_images_per_s", "train_samples_per_s", "epoch_seconds", "peak_rss_mb",
            "threads"}) {
            assertTrue(json.has(k) && json.get(k).isNumber() && json.get(k).asDouble() > 0, k + " in " + json);
        }
    }
}
