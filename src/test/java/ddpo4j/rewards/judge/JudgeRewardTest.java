package ddpo4j.rewards.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpo4j.io.BundledFiles;
import ddpo4j.models.judge.ShapesJudge;
import ddpo4j.prompts.CountingPrompts;
import ddpo4j.prompts.PromptSample;
import ddpo4j.rewards.Reward;
import ddpo4j.rewards.RewardBatch;
import ddpo4j.rewards.RewardException;
import ddpo4j.rewards.RewardResult;
import ddpo4j.rewards.registry.Rewards;
import ddpo4j.world.NamedColor;
import ddpo4j.world.SceneGenerator;
import ddpo4j.world.SceneSpec;
import ddpo4j.world.ShapeKind;
import ddpo4j.world.WorldConfig;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The judge rewards with the bundled judge on rendered scenes of known content. */
class JudgeRewardTest {
    private final SceneGenerator gen = new SceneGenerator(WorldConfig.DEFAULT);

    @BeforeEach
    void bundledJudge() {
        Assumptions.assumeTrue(Files.isRegularFile(BundledFiles.root().resolve("models/shapes-judge")
                .resolve(ShapesJudge.WEIGHTS)), "models/shapes-judge not built (./ddpo4j pretrain judge)");
    }

    /** 36 clean scenes: counts 1-4 of three colour × kind pairs, three layouts each, and their prompts. */
    private List<float[]> images = new ArrayList<>();
    private List<PromptSample> right = new ArrayList<>();
    private List<PromptSample> oneMore = new ArrayList<>();

    private void scenes() {
        Object[][] pairs = {{NamedColor.RED, ShapeKind.CIRCLE}, {NamedColor.GREEN, ShapeKind.TRIANGLE},
            {NamedColor.BLUE, ShapeKind.SQUARE}};
        long seed = 0;
        for (Object[] p : pairs) {
            for (int n = 1; n <= 4; n++) {
                for (int k = 0; k < 3; k++) {
                    NamedColor c = (NamedColor) p[0];
                    ShapeKind kind = (ShapeKind) p[1];
                    images.add(gen.place(SceneSpec.of(n, c, kind, null), new SplittableRandom(seed++)).render());
                    right.add(CountingPrompts.prompt(n, c, kind, null));
                    oneMore.add(CountingPrompts.prompt(n + 1, c, kind, null));
                }
            }
        }
    }

    private static RewardBatch batch(List<float[]> images, List<PromptSample> prompts) {
        return new RewardBatch(images, 64, 64, prompts.stream().map(PromptSample::prompt).toList(),
                prompts.stream().map(PromptSample::metadata).toList());
    }

    private static double mean(RewardResult r) {
        double s = 0;
        for (double v : r.scores()) {
            s += v;
        }
        return s / r.scores().length;
    }

    @Test
    void strictIsHighForTheDrawnCountAndLowForOneMore() {
        scenes();
        try (Reward strict = Rewards.create("judge:mode=strict");
                Reward graded = Rewards.create("judge:mode=strict,graded=true");
                Reward all = Rewards.create("judge:mode=strict,questions=all")) {
            RewardResult matching = strict.score(batch(images, right)).join();
            RewardResult wrong = strict.score(batch(images, oneMore)).join();
            assertTrue(mean(matching) >= 0.9, "matching prompts: " + mean(matching));
            assertTrue(mean(wrong) <= 0.1, "one shape too many asked: " + mean(wrong));
            for (double s : matching.scores()) {
                assertTrue(s == 0 || s == 1, "strict scores are 0 or 1 for one question");
            }
            Map<String, Object> info = matching.info().get(0);
            assertEquals(List.of("how many red circles?"), info.get("questions"));
            assertEquals(List.of(1), info.get("expected"));

            RewardResult gradedRight = graded.score(batch(images, right)).join();
            RewardResult gradedWrong = graded.score(batch(images, oneMore)).join();
            assertTrue(mean(gradedRight) > 0.8 && mean(gradedWrong) < 0.2, mean(gradedRight) + " vs " + mean(gradedWrong));
            for (int i = 0; i < images.size(); i++) {
                @SuppressWarnings("unchecked")
                List<Double> p = (List<Double>) gradedRight.info().get(i).get("probability");
                assertEquals(p.get(0), gradedRight.scores()[i], 1e-12, "graded = probability of the right answer");
            }

            RewardResult three = all.score(batch(images, right)).join();
            assertEquals(3, ((List<?>) three.info().get(0).get("questions")).size());
            assertTrue(mean(three) >= 0.9, "count, colour and kind: " + mean(three));
        }
    }

    @Test
    void describeScoresTheJudgesCaptionByTokenF1() {
        scenes();
        try (Reward describe = Rewards.create("judge:mode=describe")) {
            RewardResult r = describe.score(batch(images, right)).join();
            assertTrue(mean(r) >= 0.9, "captions of clean scenes match their prompts: " + mean(r));
            for (int i = 0; i < images.size(); i++) {
                String caption = (String) r.info().get(i).get("caption");
                assertEquals(TokenF1.of(caption, right.get(i).prompt()).f1(), r.scores()[i], 1e-12);
            }
            // a prompt naming a background gets the judge's background in the caption
            float[] onBlack = gen.place(SceneSpec.of(2, NamedColor.RED, ShapeKind.SQUARE, NamedColor.BLACK),
                    new SplittableRandom(5)).render();
            RewardResult bg = describe.score(new RewardBatch(List.of(onBlack), 64, 64,
                    List.of("two red squares on a black background"), List.of(Map.of()))).join();
            assertEquals("two red squares on a black background", bg.info().get(0).get("caption"));
            assertEquals(1.0, bg.scores()[0], 1e-12);
        }
    }

    @Test
    void optionsAreCheckedAndAPromptWithoutCountsFailsItsSampleOnly() {
        RewardException unknown = assertThrows(RewardException.class, () -> Rewards.create("judge:temperature=1"));
        assertTrue(unknown.getMessage().contains("batch_size, graded, mode, model, questions"), unknown.getMessage());
        RewardException describeGraded = assertThrows(RewardException.class,
                () -> Rewards.create("judge:mode=describe,graded=true"));
        assertTrue(describeGraded.getMessage().contains("mode=strict only"), describeGraded.getMessage());
        RewardException missing = assertThrows(RewardException.class, () -> Rewards.create("judge:model=bundled:nope"));
        assertTrue(missing.getMessage().contains("pretrain judge --out models/nope"), missing.getMessage());
        try (Reward strict = Rewards.create("judge")) {
            float[] img = gen.place(SceneSpec.of(1, NamedColor.RED, ShapeKind.CIRCLE, null), new SplittableRandom(1))
                    .render();
            var scored = strict.scoreSamples(new RewardBatch(List.of(img, img), 64, 64,
                    List.of("a photo of a cat", "one red circle"), List.of(Map.of(), Map.of()))).join();
            assertTrue(scored.error(0) != null && scored.error(0).getMessage().contains("sample 0"));
            assertEquals(1.0, scored.score(1), 1e-12);
        }
    }
}
