package ddpo4j.rewards.judge;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpo4j.eval.Stats;
import ddpo4j.rewards.Reward;
import ddpo4j.rewards.RewardBatch;
import ddpo4j.rewards.RewardResult;
import ddpo4j.rewards.registry.Rewards;
import ddpo4j.world.NamedColor;
import ddpo4j.world.SceneGenerator;
import ddpo4j.world.SceneSpec;
import ddpo4j.world.ShapeKind;
import ddpo4j.world.WorldConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundled aesthetic analog tracks its rule. */
class ShapesAestheticRewardTest {
    @TempDir
    Path tmp;

    @Test
    void theBundledPredictorRanksImagesAsTheRuleDoes() {
        SceneGenerator gen = new SceneGenerator(WorldConfig.DEFAULT);
        List<float[]> images = new ArrayList<>();
        NamedColor[] bgs = {NamedColor.BLACK, NamedColor.WHITE, NamedColor.GRAY, NamedColor.BLUE};
        for (int i = 0; i < 24; i++) {
            SceneSpec spec = SceneSpec.of(1 + i % 4, NamedColor.YELLOW, ShapeKind.values()[i % 3], bgs[i % 4]);
            images.add(gen.place(spec, new SplittableRandom(i)).render());
        }
        RewardBatch batch = new RewardBatch(images, 64, 64, Collections.nCopies(24, "x"), Collections.nCopies(24, Map.of()));
        try (Reward proxy = Rewards.create("shapes_aesthetic"); Reward gold = Rewards.create("preference_rule")) {
            RewardResult p = proxy.score(batch).join();
            RewardResult g = gold.score(batch).join();
            double r = Stats.pearson(p.scores(), g.scores());
            assertTrue(r > 0.8, "predictor vs rule, Pearson r " + r);
            System.out.printf("shapes_aesthetic vs preference_rule on 24 renders: r %.3f%n", r);
        }
    }

    @Test
    void aMissingModelIsOneClearError() {
        Exception e = assertThrows(Exception.class, () -> Rewards.create("shapes_aesthetic:model=" + tmp.resolve("none")));
        assertTrue(e.getMessage().contains("pretrain aesthetic"), e.getMessage());
    }
}
