package ddpo4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BeforeAfterTest {
    @TempDir
    Path tmp;

    /** Writes an evaluated epoch: image k with reward rewards[k] and detected count detected[k]. */
    private void epoch(String dirName, double[] rewards, int[] detected) throws IOException {
        Path dir = tmp.resolve("samples").resolve(dirName);
        Files.createDirectories(dir);
        List<String> entries = new ArrayList<>();
        for (int k = 0; k < rewards.length; k++) {
            String file = String.format("eval_%02d.png", k);
            ImageIO.write(SyntheticRun.image(k % 3, rewards[k]), "png", dir.resolve(file).toFile());
            entries.add(String.format(Locale.ROOT, "{\"file\":\"%s\",\"prompt\":\"p%d <b>\",\"reward\":%s,\"seed\":%d,"
                    + "\"info\":{\"expected\":2,\"detected\":%d}}", file, k, rewards[k], 100 + k, detected[k]));
        }
        Files.writeString(dir.resolve("eval.json"), "[" + String.join(",", entries) + "]", StandardCharsets.UTF_8);
    }

    @Test
    void pairsTheFirstAndLastEvaluationRisesFirstFallsLast() throws IOException {
        epoch("epoch_0000", new double[] {1, 0, 0, 0, 1}, new int[] {2, 1, 3, 0, 2});
        epoch("epoch_0005", new double[] {0, 0, 1, 0, 1}, new int[] {1, 1, 2, 0, 2}); // a middle row: not used
        epoch("final", new double[] {0, 0.5, 1, 0, 1}, new int[] {1, 1, 2, 4, 2});
        BeforeAfter ba = BeforeAfter.of(SampleGrid.scan(tmp.resolve("samples"), 10));
        List<String> order = ba.pairs().stream().map(p -> p.before().prompt()).toList();
        // rose: p2 (+1) before p1 (+0.5); unchanged: p3, p4 in listing order; fell: p0
        assertEquals(List.of("p2 <b>", "p1 <b>", "p3 <b>", "p4 <b>", "p0 <b>"), order);
        assertEquals(2, ba.count(0));
        assertEquals(2, ba.count(1));
        assertEquals(1, ba.count(2));
        assertEquals(0, ba.pairs().get(0).beforeRow().epoch());
        assertEquals(10, ba.pairs().get(0).afterRow().epoch(), "samples/final is the row after the last epoch");
        String html = ba.html();
        assertTrue(html.contains("at epoch 0 and at epoch 10: the reward rose for 2, stayed for 2 and fell for 1 of 5"), html);
        assertTrue(html.contains("detected 3 → detected 2"), "what the detector saw, before and after: " + html);
        assertTrue(html.contains("p2 &lt;b&gt;") && !html.contains("p2 <b>"), "prompts are escaped");
        assertEquals(10, html.split("<img ", -1).length - 1, "two images per pair");
        assertTrue(html.indexOf("class=\"pair rose\"") < html.indexOf("class=\"pair fell\""));
    }

    @Test
    void nothingWithOneEvaluatedEpochOrNoEvalJson() throws IOException {
        epoch("epoch_0000", new double[] {1, 0}, new int[] {2, 1});
        assertEquals("", BeforeAfter.of(SampleGrid.scan(tmp.resolve("samples"), -1)).html());
        Path plain = tmp.resolve("plain").resolve("epoch_0003");
        Files.createDirectories(plain);
        ImageIO.write(SyntheticRun.image(0, 0), "png", plain.resolve("00.png").toFile());
        Files.createDirectories(tmp.resolve("plain").resolve("epoch_0004"));
        ImageIO.write(SyntheticRun.image(0, 1), "png", tmp.resolve("plain").resolve("epoch_0004").resolve("00.png").toFile());
        assertEquals("", BeforeAfter.of(SampleGrid.scan(tmp.resolve("plain"), -1)).html(),
                "training samples differ in prompt and noise between epochs: no pairs");
    }

    @Test
    void detailReadsDetectorCountsOrJudgeAnswers() throws IOException {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        assertEquals("detected [2,1]", SampleGrid.detail(json.readTree("{\"expected\":[2,1],\"detected\":[2,1]}")));
        assertEquals("answers [\"3\"]", SampleGrid.detail(json.readTree("{\"answers\":[\"3\"]}")));
        assertEquals("", SampleGrid.detail(json.readTree("{\"kb\":1.2}")));
        assertEquals("", SampleGrid.detail(null));
    }
}
