package ddpo4j.rl;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpo4j.prompts.PromptFunctions;
import ddpo4j.prompts.PromptSets;
import ddpo4j.rewards.RewardSpec;
import ddpo4j.rewards.registry.Rewards;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every train config in configs/ resolves, validates, and names prompt functions, sets and rewards
 * that exist (replay plans, {@code replay*.yaml}, are checked by {@code BundledReplayPlanTest}).
 */
class BundledConfigsTest {
    @Test
    void everyConfigIsValid() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("configs"))) {
            files = s.filter(p -> p.toString().endsWith(".yaml") && !p.getFileName().toString().startsWith("replay")).sorted().toList();
        }
        assertFalse(files.isEmpty());
        for (Path f : files) {
            TrainConfig c = TrainConfig.resolve(f, List.of());
            c.validate();
            PromptFunctions.create(c.getString("prompt_fn"), c.promptFnKwargs());
            String reward = RewardSpec.parse(c.getString("reward_fn")).name();
            assertTrue(Rewards.names().contains(reward), f + ": reward " + reward);
            for (TrainConfig.EvalSetSpec set : c.evalSets()) {
                assertTrue(PromptSets.exists(set.name()), f + ": eval set " + set.name());
            }
        }
    }
}
