package ddpo4j.rewards.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpo4j.prompts.CountingPrompts;
import ddpo4j.prompts.PromptSample;
import ddpo4j.rewards.Reward;
import ddpo4j.rewards.RewardBatch;
import ddpo4j.rewards.RewardException;
import ddpo4j.rewards.RewardResult;
import ddpo4j.rewards.ScoredBatch;
import ddpo4j.rewards.registry.Rewards;
import ddpo4j.world.Degradation;
import ddpo4j.world.NamedColor;
import ddpo4j.world.SceneGenerator;
import ddpo4j.world.SceneSpec;
import ddpo4j.world.ShapeGroup;
import ddpo4j.world.ShapeKind;
import ddpo4j.world.WorldConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CountAlignmentRewardTest {
    private final SceneGenerator gen = new SceneGenerator(WorldConfig.DEFAULT);

    private float[] image(int count, NamedColor color, ShapeKind kind, long seed) {
        return gen.place(SceneSpec.of(count, color, kind, null), new SplittableRandom(seed)).render();
    }

    private static RewardBatch batch(List<float[]> images, List<PromptSample> prompts) {
        return new RewardBatch(images, 64, 64, prompts.stream().map(PromptSample::prompt).toList(),
                prompts.stream().map(PromptSample::metadata).toList());
    }

    @Test
    void colourAndCountChecksIgnoreTheOtherAttributes() {
        // drawn: 3 red squares; asked: 3 red circles, 2 red circles, 3 blue circles
        List<float[]> images = List.of(image(3, NamedColor.RED, ShapeKind.SQUARE, 1),
                image(3, NamedColor.RED, ShapeKind.SQUARE, 2), image(3, NamedColor.RED, ShapeKind.SQUARE, 3));
        List<PromptSample> prompts = List.of(CountingPrompts.prompt(3, NamedColor.RED, ShapeKind.CIRCLE, null),
                CountingPrompts.prompt(2, NamedColor.RED, ShapeKind.CIRCLE, null),
                CountingPrompts.prompt(3, NamedColor.BLUE, ShapeKind.CIRCLE, null));
        try (Reward all = Rewards.create("count_alignment");
                Reward count = Rewards.create("count_alignment:check=count");
                Reward colour = Rewards.create("count_alignment:check=color");
                Reward kind = Rewards.create("count_alignment:check=kind")) {
            assertEquals(List.of(0.0, 0.0, 0.0), toList(all.score(batch(images, prompts)).join().scores()));
            assertEquals(List.of(1.0, 0.0, 0.0), toList(count.score(batch(images, prompts)).join().scores()));
            assertEquals(List.of(1.0, 1.0, 0.0), toList(colour.score(batch(images, prompts)).join().scores()));
            assertEquals(List.of(0.0, 0.0, 0.0), toList(kind.score(batch(images, prompts)).join().scores()));
        }
    }

    @Test
    void kindCheckIgnoresColourAndCount() {
        // drawn: 3 red squares, 2 green circles; asked: 1 blue square (kind right), 4 yellow squares (kind wrong)
        List<float[]> images = List.of(image(3, NamedColor.RED, ShapeKind.SQUARE, 4),
                image(2, NamedColor.GREEN, ShapeKind.CIRCLE, 5));
        List<PromptSample> prompts = List.of(CountingPrompts.prompt(1, NamedColor.BLUE, ShapeKind.SQUARE, null),
                CountingPrompts.prompt(4, NamedColor.YELLOW, ShapeKind.SQUARE, null));
        try (Reward kind = Rewards.create("count_alignment:check=kind")) {
            assertEquals(List.of(1.0, 0.0), toList(kind.score(batch(images, prompts)).join().scores()));
        }
    }

    @Test
    void strictScoresOneExactlyWhenTheCountMatches() {
        List<float[]> images = new ArrayList<>();
        List<PromptSample> prompts = new ArrayList<>();
        int[][] cases = {{3, 3}, {3, 2}, {1, 1}, {4, 1}, {2, 4}};
        for (int i = 0; i < cases.length; i++) {
            images.add(image(cases[i][0], NamedColor.RED, ShapeKind.CIRCLE, i));
            prompts.add(CountingPrompts.prompt(cases[i][1], NamedColor.RED, ShapeKind.CIRCLE, null));
        }
        try (Reward r = Rewards.create("count_alignment")) {
            RewardResult res = r.score(batch(images, prompts)).join();
            assertEquals(List.of(1.0, 0.0, 1.0, 0.0, 0.0), toList(res.scores()));
            assertEquals(2, res.info().get(1).get("expected"));
            assertEquals(3, res.info().get(1).get("detected"));
            assertEquals(List.of("red circles"), res.info().get(1).get("asked"));
        }
        try (Reward r = Rewards.create("count_alignment:mode=graded")) {
            RewardResult res = r.score(batch(images, prompts)).join();
            // (drawn, asked): (3, 3) exact; (3, 2) 1 - 1/2; (1, 1) exact; (4, 1) 1 - 3/1 -> 0; (2, 4) 1 - 2/4
            assertEquals(List.of(1.0, 0.5, 1.0, 0.0, 0.5), toList(res.scores()));
        }
    }

    @Test
    void wrongColourOrKindCountsZero() {
        List<float[]> images = List.of(image(2, NamedColor.BLUE, ShapeKind.SQUARE, 1), image(2, NamedColor.BLUE, ShapeKind.SQUARE, 2));
        List<PromptSample> prompts = List.of(CountingPrompts.prompt(2, NamedColor.GREEN, ShapeKind.SQUARE, null),
                CountingPrompts.prompt(2, NamedColor.BLUE, ShapeKind.TRIANGLE, null));
        try (Reward r = Rewards.create("count_alignment")) {
            RewardResult res = r.score(batch(images, prompts)).join();
            assertEquals(List.of(0.0, 0.0), toList(res.scores()));
            assertEquals(0, res.info().get(0).get("detected"));
        }
    }

    @Test
    void readsThePromptTextWithoutMetadataAndScoresEveryGroup() {
        SceneSpec mixed = new SceneSpec(List.of(new ShapeGroup(1, NamedColor.YELLOW, ShapeKind.TRIANGLE),
                new ShapeGroup(2, NamedColor.GREEN, ShapeKind.CIRCLE)), NamedColor.BLACK);
        float[] img = gen.place(mixed, new SplittableRandom(3)).render();
        float[] soft = new Degradation(1.0, 0.05).apply(img, 64, 64, new SplittableRandom(4));
        List<String> texts = List.of("a yellow triangle and two green circles on a black background",
                "a yellow triangle and three green circles", "two green circles", "Three red squares.");
        RewardBatch b = new RewardBatch(List.of(img, soft, soft, img), 64, 64, texts, List.of(Map.of(), Map.of(), Map.of(), Map.of()));
        ScoredBatch s = new CountAlignmentReward(false, ddpo4j.world.DetectorConfig.DEFAULT).scoreNow(b);
        assertEquals(1.0, s.score(0));
        assertEquals(0.5, s.score(1)); // the triangle right, the circles not
        assertEquals(List.of(1, 3), s.info(1).get("expected"));
        assertEquals(List.of(1, 2), s.info(1).get("detected"));
        assertEquals(1.0, s.score(2));
        assertEquals(0.0, s.score(3));
        assertEquals("black", s.info(0).get("background"));
    }

    @Test
    void metadataMayLeaveColourOrKindOpen() {
        float[] img = image(3, NamedColor.YELLOW, ShapeKind.SQUARE, 7);
        RewardBatch b = new RewardBatch(List.of(img, img, img), 64, 64, List.of("x", "y", "z"),
                List.of(Map.of("count", 3, "noun", "squares"), Map.of("count", "3", "color", "yellow"),
                        Map.of("count", 0, "color", "red", "shape", "circle")));
        ScoredBatch s = new CountAlignmentReward(false, ddpo4j.world.DetectorConfig.DEFAULT).scoreNow(b);
        assertEquals(List.of(1.0, 1.0, 1.0), toList(new double[] {s.score(0), s.score(1), s.score(2)}));
    }

    @Test
    void aPromptAskingNothingCountableFailsOnlyItsSample() {
        float[] img = image(1, NamedColor.RED, ShapeKind.CIRCLE, 0);
        RewardBatch b = new RewardBatch(List.of(img, img, img), 64, 64, List.of("a photo of a cat", "a red circle", "q"),
                List.of(Map.of(), Map.of(), Map.of("count", 2, "color", "purple", "shape", "circle")));
        try (Reward r = Rewards.create("count_alignment")) {
            ScoredBatch s = r.scoreSamples(b).join();
            assertFalse(s.ok(0));
            assertTrue(s.error(0).getMessage().contains("not a counting prompt"), s.error(0).getMessage());
            assertEquals(1.0, s.score(1));
            assertTrue(s.error(2).getMessage().contains("purple"), s.error(2).getMessage());
        }
    }

    @Test
    void optionsAreChecked() {
        assertTrue(Rewards.names().contains("count_alignment"));
        RewardException e = assertThrows(RewardException.class, () -> Rewards.create("count_alignment:mode=fuzzy"));
        assertTrue(e.getMessage().contains("strict, graded"), e.getMessage());
        assertThrows(RewardException.class, () -> Rewards.create("count_alignment:colour=red"));
        assertThrows(RewardException.class, () -> Rewards.create("count_alignment:tolerance=200"));
        Rewards.create("count_alignment:mode=graded,tolerance=80,min_area=0.01").close();
    }

    private static List<Double> toList(double[] a) {
        List<Double> out = new ArrayList<>();
        for (double d : a) {
            out.add(d);
        }
        return out;
    }
}
