package ddpo4j.rewards;

import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** Wraps a reward and measures its calls (latency, images, failures, busy time) for the epoch metrics. */
public final class MeteredReward implements Reward {
    private final Reward inner;
    private final LongSupplier clock;
    private long calls;
    private long images;
    private long failed;
    private long latencyNanos;
    private long busyNanos;
    private int inFlight;
    private long busySince;

    public MeteredReward(Reward inner) {
        this(inner, System::nanoTime);
    }

    /** With an injectable nanosecond clock, for tests. */
    MeteredReward(Reward inner, LongSupplier clock) {
        this.inner = inner;
        this.clock = clock;
    }

    public Reward inner() {
        return inner;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public CompletableFuture<RewardResult> score(RewardBatch batch) {
        long start = begin();
        return started(start, batch, () -> inner.score(batch))
                .whenComplete((r, e) -> end(start, batch.size(), e == null ? 0 : batch.size()));
    }

    @Override
    public CompletableFuture<ScoredBatch> scoreSamples(RewardBatch batch) {
        long start = begin();
        return started(start, batch, () -> inner.scoreSamples(batch)).whenComplete((r, e) -> end(start,
                batch.size(), r == null ? batch.size() : r.failedCount()));
    }

    /** Starts a call; one that throws instead of returning a future still ends its measurement. */
    private <T> CompletableFuture<T> started(long start, RewardBatch batch, Supplier<CompletableFuture<T>> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            end(start, batch.size(), batch.size());
            throw e;
        }
    }

    /** Totals since creation or the last {@link #statsAndReset}. */
    public synchronized RewardStats stats() {
        long busy = busyNanos + (inFlight > 0 ? clock.getAsLong() - busySince : 0);
        return new RewardStats(calls, images, failed, latencyNanos / 1e9, busy / 1e9);
    }

    /** The stats so far, then starts a new period (calls in flight count toward the new one). */
    public synchronized RewardStats statsAndReset() {
        RewardStats s = stats();
        calls = images = failed = latencyNanos = busyNanos = 0;
        if (inFlight > 0) {
            busySince = clock.getAsLong();
        }
        return s;
    }

    private synchronized long begin() {
        long now = clock.getAsLong();
        if (inFlight++ == 0) {
            busySince = now;
        }
        return now;
    }

    private synchronized void end(long start, int n, int failedImages) {
        long now = clock.getAsLong();
        calls++;
        images += n;
        failed += failedImages;
        latencyNanos += now - start;
        if (--inFlight == 0) {
            busyNanos += now - busySince;
        }
    }

    @Override
    public void close() {
        inner.close();
    }

    @Override
    public String toString() {
        return "metered(" + inner + ")";
    }
}
