package ddpo4j.rewards.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import ddpo4j.rewards.RewardException;
import ddpo4j.rewards.RewardResult;
import ddpo4j.rewards.ScoredBatch;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * {@link RewardProtocol#response}, which reads what an {@code http} reward server or a
 * {@code command} reward's child answers, on arbitrary answers: it either throws a RewardException
 * naming the reward, or gives each sample a finite score or a RewardException of its own; and
 * the batch turns into a RewardResult or a RewardException, nothing else.
 */
class RewardResponseFuzzTest {
    private static final String SOURCE = "reward 'fuzz' at http://127.0.0.1:1/score";
    /** Global index of the first sample: answers are for sub-batches, and messages count from here. */
    private static final int OFFSET = 3;

    /**
     * Input: one byte whose low 4 bits are the number of samples asked for (so an ASCII digit stands
     * for itself), then the answer, decoded as both clients decode it (UTF-8, bad bytes replaced).
     */
    @FuzzTest(maxDuration = "30s")
    void parseAnyAnswer(byte[] input) {
        int count = input.length == 0 ? 0 : input[0] & 0x0F;
        String body = input.length == 0 ? "" : new String(input, 1, input.length - 1, StandardCharsets.UTF_8);
        ScoredBatch batch;
        try {
            batch = RewardProtocol.response(body, count, OFFSET, SOURCE);
        } catch (RewardException unusable) {
            assertTrue(unusable.getMessage().startsWith(SOURCE), unusable.getMessage());
            return;
        }
        assertEquals(count, batch.size());
        for (int i = 0; i < count; i++) {
            if (batch.ok(i)) {
                assertTrue(Double.isFinite(batch.score(i)));
                assertNotNull(batch.info(i));
            } else {
                assertTrue(batch.error(i).getMessage().startsWith(SOURCE), batch.error(i).getMessage());
            }
        }
        try {
            RewardResult result = batch.toResult();
            assertTrue(Arrays.stream(result.scores()).allMatch(Double::isFinite));
        } catch (RewardException someFailed) {
            assertTrue(someFailed.getMessage().contains(SOURCE), someFailed.getMessage());
        }
    }
}
