package ddpo4j.rl;

import ddpo4j.rewards.BrightnessReward;
import ddpo4j.rewards.Reward;
import ddpo4j.rewards.RewardBatch;
import ddpo4j.rewards.RewardResult;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A user reward class ({@code java:class=ddpo4j.rl.NanInjectingReward,...}) that answers NaN on
 * purpose: mean brightness, except {@code nan_call=K} (the first image of call K, counted from 0
 * in this process) and {@code nan_from=K} (every image of every call from K on).
 */
public final class NanInjectingReward implements Reward {
    private final Reward brightness = new BrightnessReward();
    private final int nanCall;
    private final int nanFrom;
    private int calls;

    public NanInjectingReward(Map<String, String> options) {
        nanCall = Integer.parseInt(options.getOrDefault("nan_call", "-1"));
        nanFrom = Integer.parseInt(options.getOrDefault("nan_from", Integer.toString(Integer.MAX_VALUE)));
    }

    @Override
    public String name() {
        return "nan_injecting";
    }

    @Override
    public synchronized CompletableFuture<RewardResult> score(RewardBatch batch) {
        int call = calls++;
        RewardResult r = brightness.score(batch).join();
        double[] s = r.scores().clone();
        if (call == nanCall) {
            s[0] = Double.NaN;
        }
        if (call >= nanFrom) {
            java.util.Arrays.fill(s, Double.NaN);
        }
        return CompletableFuture.completedFuture(new RewardResult(s, r.info()));
    }
}
