package ddpo4j.models.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpo4j.Ddpo4jException;
import ddpo4j.io.JsonFile;
import ddpo4j.io.SafetensorsWriter;
import ddpo4j.nn.Parameter;
import ddpo4j.world.NamedColor;
import ddpo4j.world.ShapeKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading a judge folder strictly, and the shapes and probabilities of its answers. */
class ShapesJudgeTest {
    private static final JudgeConfig TINY = new JudgeConfig(64, 8, new int[] {8, 16}, 4, 12,
            JudgeConfig.DEFAULT.colors(), JudgeConfig.DEFAULT.kinds(), JudgeConfig.DEFAULT.backgrounds(), 5);

    @TempDir
    Path tmp;

    /** Writes a judge folder with random weights; {@code skip} leaves one key out, {@code wrong} mis-shapes one. */
    private Path folder(String skip, String wrong) {
        Path dir = tmp.resolve("judge");
        JsonFile.write(dir.resolve(ShapesJudge.CONFIG), TINY.toJson());
        SafetensorsWriter.Builder w = SafetensorsWriter.builder();
        SplittableRandom r = new SplittableRandom(3);
        for (Map.Entry<String, Parameter> e : new JudgeNet(TINY).namedParameters().entrySet()) {
            long[] shape = e.getKey().equals(wrong) ? new long[] {1, 2} : e.getValue().shape().getShape();
            float[] v = new float[(int) new ai.djl.ndarray.types.Shape(shape).size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (r.nextDouble() - 0.5) * 0.5f;
            }
            if (!e.getKey().equals(skip)) {
                w.put(e.getKey(), v, shape);
            }
        }
        w.write(dir.resolve(ShapesJudge.WEIGHTS), Map.of());
        return dir;
    }

    @Test
    void answersAreDistributionsAndTheEmbeddingHasTheConfiguredWidth() {
        try (ShapesJudge judge = ShapesJudge.load(folder(null, null))) {
            float[] gray = new float[3 * 64 * 64];
            java.util.Arrays.fill(gray, 0.5f);
            float[] noise = new float[3 * 64 * 64];
            SplittableRandom r = new SplittableRandom(1);
            for (int i = 0; i < noise.length; i++) {
                noise[i] = (float) r.nextDouble();
            }
            List<JudgeAnswers> answers = judge.answer(List.of(gray, noise), 64, 64);
            assertEquals(2, answers.size());
            for (JudgeAnswers a : answers) {
                double[] d = a.countDistribution(NamedColor.RED, ShapeKind.CIRCLE);
                assertEquals(6, d.length);
                assertEquals(1.0, java.util.Arrays.stream(d).sum(), 1e-5);
                double colours = 0;
                for (NamedColor c : TINY.colors()) {
                    colours += a.colorProbability(c);
                }
                assertEquals(1.0, colours, 1e-5);
                int n = a.count(NamedColor.RED, ShapeKind.CIRCLE);
                for (double p : d) {
                    assertTrue(d[n] >= p, "the answer is the most probable count");
                }
            }
            float[][] e = judge.embed(List.of(gray, noise), 64, 64);
            assertEquals(12, e[0].length);
            // one forward per list: the same image gives the same answers alone or in a batch
            JudgeAnswers alone = judge.answer(List.of(noise), 64, 64).get(0);
            assertEquals(answers.get(1).countProbability(NamedColor.BLUE, ShapeKind.SQUARE, 2),
                    alone.countProbability(NamedColor.BLUE, ShapeKind.SQUARE, 2), 1e-6);
            Ddpo4jException size = assertThrows(Ddpo4jException.class, () -> judge.answer(List.of(new float[3 * 32 * 32]),
                    32, 32));
            assertTrue(size.getMessage().contains("64x64"), size.getMessage());
        }
    }

    @Test
    void aMissingOrMisShapedKeyIsOneClearError() throws Exception {
        Ddpo4jException missing = assertThrows(Ddpo4jException.class,
                () -> ShapesJudge.load(folder("center_head.weight", null)));
        assertTrue(missing.getMessage().contains("1 missing key(s): center_head.weight"), missing.getMessage());
        Files.walk(tmp).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        Ddpo4jException shape = assertThrows(Ddpo4jException.class,
                () -> ShapesJudge.load(folder(null, "blocks.1.conv.weight")));
        assertTrue(shape.getMessage().contains("mis-shaped key(s): blocks.1.conv.weight"), shape.getMessage());
        Ddpo4jException none = assertThrows(Ddpo4jException.class, () -> ShapesJudge.load(tmp.resolve("nowhere")));
        assertTrue(none.getMessage().contains("pretrain judge"), none.getMessage());
    }

    @Test
    void configRefusesUnknownColoursAndKeys() throws Exception {
        Path dir = tmp.resolve("cfg");
        Map<String, Object> json = new java.util.LinkedHashMap<>(TINY.toJson());
        json.put("colors", List.of("red", "purple"));
        JsonFile.write(dir.resolve("config.json"), json);
        Ddpo4jException colour = assertThrows(Ddpo4jException.class, () -> JudgeConfig.read(dir.resolve("config.json")));
        assertTrue(colour.getMessage().contains("purple"), colour.getMessage());
        json = new java.util.LinkedHashMap<>(TINY.toJson());
        json.put("dropout", 0.1);
        JsonFile.write(dir.resolve("config.json"), json);
        Ddpo4jException key = assertThrows(Ddpo4jException.class, () -> JudgeConfig.read(dir.resolve("config.json")));
        assertTrue(key.getMessage().contains("dropout"), key.getMessage());
        JsonFile.write(dir.resolve("config.json"), TINY.toJson());
        JudgeConfig back = JudgeConfig.read(dir.resolve("config.json"));
        assertEquals(TINY.toJson().toString(), back.toJson().toString());
        assertEquals(TINY.pairs(), new JudgeNet(back).namedParameters().get("center_head.bias").shape().get(0));
    }
}
