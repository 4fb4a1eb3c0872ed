package ddpo4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsTailTest {
    @TempDir
    Path tmp;

    /** Lines present at the start are old news; new ones print as they come, and an epoch redone after a resume again. */
    @Test
    void printsEachNewEpochOnce() throws Exception {
        Path f = tmp.resolve("metrics.jsonl");
        String e0 = "{\"epoch\":0,\"reward_mean\":-4.4,\"reward_std\":0.01,\"loss\":0.5,\"approx_kl\":1e-9,\"clipfrac\":0.25}\n";
        String e1 = e0.replace("\"epoch\":0", "\"epoch\":1");
        String e2 = e0.replace("\"epoch\":0", "\"epoch\":2");
        Files.writeString(f, e0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (MetricsTail tail = new MetricsTail(f, out, 3_600_000)) { // polled by hand below
            Files.writeString(f, e0 + e1);
            tail.poll();
            tail.poll();
            Files.writeString(f, e0); // a resume from checkpoint 0 drops epoch 1's line
            tail.poll();
            Files.writeString(f, e0 + e1 + e2);
        }
        assertEquals("epoch 2  reward -4.4 ± 0.01  loss 0.5  kl 1.0E-9  clipfrac 0.25\n"
                + "epoch 2  reward -4.4 ± 0.01  loss 0.5  kl 1.0E-9  clipfrac 0.25\n"
                + "epoch 3  reward -4.4 ± 0.01  loss 0.5  kl 1.0E-9  clipfrac 0.25\n",
                bytes.toString(StandardCharsets.UTF_8));
    }
}
