package ddpo4j.rewards.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpo4j.rewards.FixedReward;
import ddpo4j.rewards.Reward;
import ddpo4j.rewards.RewardBatch;
import ddpo4j.rewards.RewardException;
import ddpo4j.rewards.RewardFactory;
import ddpo4j.rewards.RewardResult;
import ddpo4j.rewards.TestBatches;
import ddpo4j.rewards.combine.WeightedSumReward;
import ddpo4j.rewards.jpeg.JpegReward;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The name → factory registry: built-in names, open registration, option checks and {@code java:} classes. */
class RewardsTest {
    private static final RewardBatch ONE = TestBatches.ofBrightness(0.5);

    @Test
    void builtInNames() {
        assertTrue(Rewards.names().containsAll(Set.of("jpeg_compressibility", "jpeg_incompressibility", "http",
                "command", "java", "sum")), Rewards.names().toString());
        try (Reward r = Rewards.create("jpeg_incompressibility")) {
            assertTrue(r instanceof JpegReward);
            assertEquals("jpeg_incompressibility", r.name());
        }
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        RewardException e = assertThrows(RewardException.class, () -> Rewards.create("jpeg"));
        assertTrue(e.getMessage().contains("unknown reward 'jpeg'"), e.getMessage());
        assertTrue(e.getMessage().contains("command, count_alignment, http, java, jpeg_compressibility, jpeg_incompressibility"),
                e.getMessage());
    }

    @Test
    void unknownOptionListsTheKnownOnes() {
        RewardException e = assertThrows(RewardException.class, () -> Rewards.create("http:url=http://a/b,timout=3"));
        assertEquals("reward 'http': unknown option 'timout'; known options: auth_env, auth_header, backoff, batch_size,"
                + " concurrency, retries, timeout, url", e.getMessage());
        RewardException none = assertThrows(RewardException.class, () -> Rewards.create("jpeg_compressibility:q=90"));
        assertTrue(none.getMessage().endsWith("known options: (none)"), none.getMessage());
    }

    @Test
    void otherPartsRegisterTheirOwnNames() {
        Rewards.register("test_registered", RewardFactory.of(Set.of("value"),
                o -> new FixedReward(Map.of("value", o.string("value", "5")))));
        try (Reward r = Rewards.create("test_registered:value=7")) {
            assertEquals(7, r.score(ONE).join().scores()[0]);
        }
        assertTrue(Rewards.names().contains("test_registered"));
        assertThrows(IllegalArgumentException.class, () -> Rewards.register("http", RewardFactory.of(Set.of(), o -> null)));
        assertThrows(IllegalArgumentException.class, () -> Rewards.register("sum", RewardFactory.of(Set.of(), o -> null)));
    }

    @Test
    void javaClassWithOptionsConstructor() {
        try (Reward r = Rewards.create("java:class=ddpo4j.rewards.FixedReward,value=3.5,anything=goes")) {
            RewardResult res = r.score(ONE).join();
            assertArrayEquals(new double[] {3.5}, res.scores());
            assertEquals(Map.of("value", "3.5", "anything", "goes"), res.info().get(0).get("options"));
        }
    }

    @Test
    void javaClassWithNoArgConstructor() {
        try (Reward r = Rewards.create("java:class=ddpo4j.rewards.FixedReward$NoOptions")) {
            assertEquals(2, r.score(ONE).join().scores()[0]);
        }
        RewardException e = assertThrows(RewardException.class,
                () -> Rewards.create("java:class=ddpo4j.rewards.FixedReward$NoOptions,value=3"));
        assertTrue(e.getMessage().contains("takes no options, but got [value]"), e.getMessage());
    }

    @Test
    void javaClassErrorsNameTheClass() {
        RewardException missing = assertThrows(RewardException.class, () -> Rewards.create("java:class=com.example.Nope"));
        assertTrue(missing.getMessage().contains("com.example.Nope is not on the class path"), missing.getMessage());
        RewardException notReward = assertThrows(RewardException.class, () -> Rewards.create("java:class=java.lang.String"));
        assertTrue(notReward.getMessage().contains("does not implement ddpo4j.rewards.Reward"), notReward.getMessage());
        assertThrows(RewardException.class, () -> Rewards.create("java"), "class is required");
    }

    @Test
    void sumSpecBuildsAWeightedSum() {
        try (Reward r = Rewards.create("sum:0.5*java:class=ddpo4j.rewards.FixedReward,value=4 + -2*(java:class=ddpo4j.rewards.FixedReward$NoOptions)")) {
            assertTrue(r instanceof WeightedSumReward);
            assertEquals(0.5 * 4 - 2 * 2, r.score(ONE).join().scores()[0], 1e-12);
        }
        RewardException e = assertThrows(RewardException.class, () -> Rewards.create("sum:jpeg_compressibility+nope"));
        assertTrue(e.getMessage().contains("unknown reward 'nope'"), e.getMessage());
        RewardException bare = assertThrows(RewardException.class, () -> Rewards.create("sum"));
        assertTrue(bare.getMessage().contains("needs its terms after a colon"), bare.getMessage());
    }
}
