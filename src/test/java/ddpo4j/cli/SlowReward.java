package ddpo4j.cli;

import ddpo4j.rewards.BrightnessReward;
import ddpo4j.rewards.Reward;
import ddpo4j.rewards.RewardBatch;
import ddpo4j.rewards.RewardResult;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@code java:} reward for the kill test: mean brightness, answered {@code delay_ms} later on a
 * thread of its own, so the trainer really waits for it. It prints {@code reward-start K} when the
 * trainer hands it batch K (counted in this process) and {@code reward-done K} when it answers:
 * the test reads these lines to know whether the child is sampling, waiting or training.
 */
public final class SlowReward implements Reward {
    private final long delayMs;
    private final AtomicInteger calls = new AtomicInteger();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "slow-reward");
        t.setDaemon(true);
        return t;
    });

    public SlowReward(Map<String, String> options) {
        delayMs = Long.parseLong(options.getOrDefault("delay_ms", "500"));
    }

    @Override
    public String name() {
        return "slow";
    }

    @Override
    public CompletableFuture<RewardResult> score(RewardBatch batch) {
        int k = calls.getAndIncrement();
        System.out.println("reward-start " + k);
        return CompletableFuture.supplyAsync(() -> {
            try {
                Thread.sleep(delayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            RewardResult r = new BrightnessReward().score(batch).join();
            System.out.println("reward-done " + k);
            return r;
        }, worker);
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
