package ddpo4j.rewards;

import ddpo4j.tensor.GradMode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The one daemon thread an in-process network reward (aesthetic, judge) runs its batches on: off
 * the trainer's thread, so sampling goes on meanwhile, and one batch at a time, because the
 * network's weights are not safe to share between threads.
 */
public final class RewardWorker implements AutoCloseable {
    private final ExecutorService executor;

    public RewardWorker(String threadName) {
        // grad mode off on the worker (see GradMode): a network's convolutions would otherwise flip the
        // process-wide oneDNN switch while the trainer samples
        this.executor = Executors.newSingleThreadExecutor(GradMode.inferenceThreads(threadName));
    }

    /** Runs {@code work} after every batch submitted before it. */
    public <T> CompletableFuture<T> submit(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, executor);
    }

    /** Waits (up to a minute) for the running batch; then the caller may free the weights. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
