package ddpo4j.rewards.combine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpo4j.rewards.FixedReward;
import ddpo4j.rewards.Reward;
import ddpo4j.rewards.RewardBatch;
import ddpo4j.rewards.RewardException;
import ddpo4j.rewards.ScoredBatch;
import ddpo4j.rewards.TestBatches;
import ddpo4j.rewards.registry.Rewards;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WeightedSumTest {
    @Test
    void parsesWeightsGroupsAndNormalization() {
        List<WeightedSumSpec.Term> t = WeightedSumSpec.parse(
                "0.5*jpeg_compressibility + -2 * norm(http:url=http://a:1/x,timeout=3) + (command:cmd=python3 a+b.py)"
                        + "+1e-3*command:cmd='x+y'");
        assertEquals(List.of(new WeightedSumSpec.Term(0.5, false, "jpeg_compressibility"),
                new WeightedSumSpec.Term(-2, true, "http:url=http://a:1/x,timeout=3"),
                new WeightedSumSpec.Term(1, false, "command:cmd=python3 a+b.py"),
                new WeightedSumSpec.Term(1e-3, false, "command:cmd='x+y'")), t);
    }

    @Test
    void malformedSumsAreErrors() {
        for (String body : new String[] {"a++b", "a+", "(a", "a)", "2*", "'a"}) {
            assertThrows(RewardException.class, () -> WeightedSumSpec.parse(body), body);
        }
    }

    @Test
    void sumsWeightedComponentsAndReportsThemInInfo() {
        try (Reward r = Rewards.create("sum:2*java:class=ddpo4j.rewards.FixedReward,value=3+-1*java:class="
                + FixedReward.ByPrompt.class.getName())) {
            ScoredBatch out = r.scoreSamples(TestBatches.withPrompts(List.of("1", "10"), 0, 0)).join();
            assertEquals(2 * 3 - 1, out.score(0), 1e-12);
            assertEquals(2 * 3 - 10, out.score(1), 1e-12);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> parts = (List<Map<String, Object>>) out.info(1).get("components");
            assertEquals("by_prompt", parts.get(1).get("reward"));
            assertEquals(10.0, parts.get(1).get("score"));
            assertEquals(-1.0, parts.get(1).get("weight"));
        }
    }

    @Test
    void aSampleFailsIfAnyComponentFailsIt() {
        try (Reward r = Rewards.create("sum:java:class=ddpo4j.rewards.FixedReward+java:class="
                + FixedReward.ByPrompt.class.getName())) {
            ScoredBatch out = r.scoreSamples(TestBatches.withPrompts(List.of("1", "nan"), 0, 0)).join();
            assertEquals(2, out.score(0), 1e-12);
            assertFalse(out.ok(1));
            assertTrue(out.error(1).getMessage().contains("reward 'by_prompt': score of sample 1 is NaN"));
        }
    }

    @Test
    void normalizedComponentsUseTheirRunningMeanAndStd() {
        try (Reward r = Rewards.create("sum:norm(java:class=" + FixedReward.ByPrompt.class.getName() + ")")) {
            RewardBatch first = TestBatches.withPrompts(List.of("1", "3"), 0, 0);
            ScoredBatch a = r.scoreSamples(first).join(); // mean 2, std 1
            assertEquals(-1, a.score(0), 1e-5);
            assertEquals(1, a.score(1), 1e-5);
            ScoredBatch b = r.scoreSamples(TestBatches.withPrompts(List.of("5"), 0)).join(); // 1,3,5: mean 3, std sqrt(8/3)
            assertEquals((5 - 3) / Math.sqrt(8.0 / 3), b.score(0), 1e-5);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> parts = (List<Map<String, Object>>) b.info(0).get("components");
            assertEquals(5.0, parts.get(0).get("score"));
        }
    }
}
