package ddpo4j.rewards;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Per-sample outcomes and the stop/drop policy: failed samples never get a made-up score. */
class RewardFailurePolicyTest {
    private static final Reward BY_PROMPT = new FixedReward.ByPrompt();

    static RewardBatch batch(String... prompts) {
        double[] b = new double[prompts.length];
        return TestBatches.withPrompts(List.of(prompts), b);
    }

    @Test
    void nonFiniteScoreFailsOnlyItsSampleNamingRewardAndIndex() {
        ScoredBatch out = BY_PROMPT.scoreSamples(batch("1", "nan", "3")).join();
        assertArrayEquals(new int[] {0, 2}, out.kept());
        assertArrayEquals(new double[] {1, 3}, out.keptScores());
        assertEquals("reward 'by_prompt': score of sample 1 is NaN", out.error(1).getMessage());
        RewardException thrown = assertThrows(RewardException.class, () -> out.score(1));
        assertSame(out.error(1), thrown);
    }

    @Test
    void wholeCallFailureFailsEverySampleWithTheRewardsName() {
        ScoredBatch out = BY_PROMPT.scoreSamples(batch("1", "fail")).join();
        assertEquals(2, out.failedCount());
        assertTrue(out.error(0).getMessage().startsWith("reward 'by_prompt' failed: java.lang.IllegalStateException: user code broke"),
                out.error(0).getMessage());
    }

    @Test
    void wrongCountFromAUserRewardIsAnError() {
        Reward twoScores = new Reward() {
            @Override
            public String name() {
                return "miscounting";
            }

            @Override
            public java.util.concurrent.CompletableFuture<RewardResult> score(RewardBatch b) {
                return java.util.concurrent.CompletableFuture.completedFuture(
                        new RewardResult(new double[] {1, 2}, List.of(Map.of(), Map.of())));
            }
        };
        ScoredBatch out = twoScores.scoreSamples(batch("a", "b", "c")).join();
        assertEquals("reward 'miscounting' returned 2 scores for 3 samples", out.error(2).getMessage());
    }

    @Test
    void stopStopsOnAnyFailedSampleDropOnlyWhenEverySampleOfTheEpochFailed() {
        assertTrue(RewardFailurePolicy.STOP.stopsOnBatch(1));
        assertFalse(RewardFailurePolicy.STOP.stopsOnBatch(0));
        assertFalse(RewardFailurePolicy.DROP.stopsOnBatch(4), "a whole failed batch is dropped");
        assertFalse(RewardFailurePolicy.DROP.stopsOnEpoch(6, 8));
        assertTrue(RewardFailurePolicy.DROP.stopsOnEpoch(8, 8), "the reward failed on every sample");
        assertFalse(RewardFailurePolicy.DROP.stopsOnEpoch(0, 8), "nothing failed (non-finite scores are the NaN policy's)");
    }

    @Test
    void parse() {
        assertEquals(RewardFailurePolicy.DROP, RewardFailurePolicy.parse(" drop"));
        assertEquals(RewardFailurePolicy.STOP, RewardFailurePolicy.parse("STOP"));
        RewardException e = assertThrows(RewardException.class, () -> RewardFailurePolicy.parse("skip"));
        assertEquals("reward_failure=skip: expected one of stop, drop", e.getMessage());
    }

    @Test
    void builderRefusesNonFiniteScoresAndUnsetSamples() {
        assertThrows(IllegalArgumentException.class, () -> new ScoredBatch.Builder(1).score(0, Double.NaN, Map.of()));
        assertThrows(IllegalStateException.class, () -> new ScoredBatch.Builder(2).score(0, 1, Map.of()).build());
    }
}
