package ddpo4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PairedEvaluationTest {
    @TempDir
    Path tmp;

    private void rewards(String dir, String json) throws IOException {
        Path d = tmp.resolve("samples").resolve(dir);
        Files.createDirectories(d);
        Files.writeString(d.resolve("eval_rewards.json"), json);
    }

    @Test
    void comparesTheFirstEvaluationWithTheFinalSampleBySample() throws IOException {
        rewards("epoch_0000", "{\"heldout\":[0,0,1,1],\"train\":[1,0,NaN]}");
        rewards("epoch_0010", "{\"heldout\":[0,0,0,0],\"train\":[0,0,0]}"); // a middle evaluation: not used
        rewards("final", "{\"heldout\":[1,0,1,1],\"train\":[1,1,1]}");
        PairedEvaluation p = PairedEvaluation.of(tmp.resolve("samples"));
        assertEquals(2, p.rows().size());
        PairedEvaluation.Row h = p.rows().get(0);
        assertEquals("heldout", h.set());
        assertEquals(4, h.n());
        assertEquals(0.5, h.before(), 1e-12);
        assertEquals(0.75, h.after(), 1e-12);
        // differences 1, 0, 0, 0: mean 0.25, sample sd 0.5, se 0.25
        assertEquals(0.25, h.delta(), 1e-12);
        assertEquals(0.25, h.deltaSe(), 1e-12);
        PairedEvaluation.Row t = p.rows().get(1);
        assertEquals(2, t.n(), "a sample whose reward is NaN drops out of both sides");
        assertEquals(0.5, t.delta(), 1e-12);
        String html = p.html();
        assertTrue(html.contains("epoch_0000") && html.contains("final"), html);
        assertTrue(html.contains("<td>heldout</td><td>4</td><td>0.5 ± 0.2887</td><td>0.75 ± 0.25</td><td>0.25 ± 0.25</td><td>1</td>"),
                html);
        assertEquals("eval heldout: 0.5000 ± 0.2887 → 0.7500 ± 0.2500, paired +0.2500 ± 0.2500 (t 1.00, n 4;"
                + " epoch_0000 → final)", p.lines().get(0));
    }

    @Test
    void givesTheDifferencesStandardErrorByPromptBesideIt() throws IOException {
        // 2 prompts x 2 samples: differences 1, 1 (prompt 0) and 0, 0 (prompt 1)
        rewards("epoch_0000", "{\"heldout\":[0,0,1,1]}");
        rewards("final", "{\"heldout\":[1,1,1,1]}");
        PairedEvaluation p = PairedEvaluation.of(tmp.resolve("samples"), set -> 2);
        PairedEvaluation.Row h = p.rows().get(0);
        assertEquals(0.5, h.delta(), 1e-12);
        assertEquals(Math.sqrt(1.0 / 3) / 2, h.deltaSe(), 1e-12, "as if the 4 samples were independent");
        // prompt means 1 and 0: sd sqrt(0.5), over sqrt(2) prompts
        assertEquals(0.5, h.deltaPromptSe(), 1e-12);
        assertTrue(p.lines().get(0).contains("paired +0.5000 ± 0.2887, by prompt ± 0.5000 (t 1.73, n 4;"),
                p.lines().get(0));
        assertTrue(p.html().contains("<td>1.732</td><td>0.5</td></tr>"), p.html());
    }

    @Test
    void aBrokenRewardsFileShowsNoTable() throws IOException {
        rewards("epoch_0000", "{\"heldout\":[0,1]}");
        rewards("final", "{\"heldout\":[0,1"); // a half-written file
        assertTrue(PairedEvaluation.of(tmp.resolve("samples")).rows().isEmpty());
    }

    @Test
    void nothingWithoutTwoEvaluations() throws IOException {
        assertEquals("", PairedEvaluation.of(tmp.resolve("samples")).html());
        rewards("epoch_0000", "{\"heldout\":[0,1]}");
        assertEquals("", PairedEvaluation.of(tmp.resolve("samples")).html());
        rewards("final", "{\"heldout\":[0,1,1]}"); // another sample count: not paired
        assertTrue(PairedEvaluation.of(tmp.resolve("samples")).rows().isEmpty());
    }
}
