package ddpo4j.rewards;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Latency and throughput bookkeeping, driven by a hand-moved clock and hand-completed futures. */
class MeteredRewardTest {
    /** A reward whose calls complete when the test says so. */
    static final class Manual implements Reward {
        final List<CompletableFuture<RewardResult>> pending = new ArrayList<>();

        @Override
        public String name() {
            return "manual";
        }

        @Override
        public CompletableFuture<RewardResult> score(RewardBatch batch) {
            CompletableFuture<RewardResult> f = new CompletableFuture<>();
            pending.add(f);
            return f;
        }

        void complete(int call, int n) {
            pending.get(call).complete(new RewardResult(new double[n], Collections.nCopies(n, Map.of())));
        }
    }

    @Test
    void overlappingCallsCountBusyTimeOnce() {
        long[] now = {0};
        Manual inner = new Manual();
        MeteredReward m = new MeteredReward(inner, () -> now[0]);
        m.score(TestBatches.ofBrightness(0, 0, 0, 0)); // call 0 at t=0
        now[0] = 1_000_000_000L;
        m.scoreSamples(TestBatches.ofBrightness(0, 0)); // call 1 at t=1 s
        now[0] = 2_000_000_000L;
        inner.complete(0, 4);
        now[0] = 3_000_000_000L;
        inner.complete(1, 1); // one score for two samples: both fail
        RewardStats s = m.statsAndReset();
        assertEquals(2, s.calls());
        assertEquals(6, s.images());
        assertEquals(2, s.failedImages());
        assertEquals(2.0 + 2.0, s.latencySeconds(), 1e-9);
        assertEquals(2.0, s.meanLatencySeconds(), 1e-9);
        assertEquals(3.0, s.busySeconds(), 1e-9);
        assertEquals(2.0, s.imagesPerSecond(), 1e-9);
        assertEquals(2.0, s.toMetrics().get("reward_images_per_s"));
        assertEquals(RewardStats.EMPTY, m.stats());
    }

    @Test
    void aCallStillInFlightCountsTowardTheNextPeriod() {
        long[] now = {0};
        Manual inner = new Manual();
        MeteredReward m = new MeteredReward(inner, () -> now[0]);
        m.score(TestBatches.ofBrightness(0));
        now[0] = 5_000_000_000L;
        assertEquals(5.0, m.statsAndReset().busySeconds(), 1e-9);
        now[0] = 7_000_000_000L;
        inner.complete(0, 1);
        RewardStats s = m.stats();
        assertEquals(2.0, s.busySeconds(), 1e-9);
        assertEquals(1, s.calls());
    }
}
