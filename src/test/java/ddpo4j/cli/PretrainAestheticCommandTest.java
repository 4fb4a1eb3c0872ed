package ddpo4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import ddpo4j.Ddpo4jException;
import ddpo4j.models.judge.ShapesAesthetic;
import ddpo4j.io.SafetensorsReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PretrainAestheticCommandTest {
    @TempDir
    Path tmp;

    @Test
    void theSameCommandComputesTheSameBytesAndWritesACardAndARelativeJudgePath() throws Exception {
        List<Map<String, float[]>> weights = new ArrayList<>();
        for (int k = 0; k < 2; k++) {
            Path out = tmp.resolve("a" + k);
            int code = Main.run("pretrain", "aesthetic", "--out", out.toString(), "--judge", "models/shapes-judge",
                    "--images", "256", "--test-images", "64", "--steps", "50");
            assertEquals(0, code);
            Map<String, float[]> w = new TreeMap<>();
            try (SafetensorsReader r = SafetensorsReader.open(out.resolve(ShapesAesthetic.WEIGHTS))) {
                r.keys().forEach(key -> w.put(key, r.floats(key)));
            }
            weights.add(w);
            assertTrue(Files.readString(out.resolve("README.md")).contains("Pearson r"));
            String judge = new ObjectMapper().readTree(out.resolve(ShapesAesthetic.CONFIG).toFile()).get("judge").asText();
            assertTrue(!Path.of(judge).isAbsolute(), "a path relative to the folder: " + judge);
            assertEquals(Path.of("models/shapes-judge").toRealPath(), out.resolve(judge).toRealPath());
        }
        assertEquals(weights.get(0).keySet(), weights.get(1).keySet()); // (the metadata names each --out)
        weights.get(0).forEach((key, v) -> assertArrayEquals(v, weights.get(1).get(key), key));
        assertEquals(2, Main.run("pretrain", "aesthetic", "--out", tmp.resolve("a0").toString()),
                "an existing model is not overwritten");
        assertThrows(Ddpo4jException.class, () -> ShapesAesthetic.load(tmp.resolve("none")));
    }
}
