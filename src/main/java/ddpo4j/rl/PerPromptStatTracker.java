package ddpo4j.rl;

import ddpo4j.Ddpo4jException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * ddpo-pytorch's {@code PerPromptStatTracker}: each prompt keeps its last {@code bufferSize}
 * rewards; its advantages are normalized by that buffer's mean and std once it holds
 * {@code minCount} rewards, and by the whole batch's before. Its buffers are checkpointed.
 */
public final class PerPromptStatTracker implements AdvantageEstimator {
    private final int bufferSize;
    private final int minCount;
    private final Map<String, Deque<Double>> buffers = new LinkedHashMap<>();

    public PerPromptStatTracker(int bufferSize, int minCount) {
        if (bufferSize < 1 || minCount < 0) {
            throw new Ddpo4jException("buffer_size must be >= 1 and min_count >= 0");
        }
        this.bufferSize = bufferSize;
        this.minCount = minCount;
    }

    @Override
    public double[] advantages(List<String> prompts, double[] rewards) {
        double[] batch = AdvantageEstimator.meanStd(rewards);
        double[] out = new double[rewards.length];
        for (String prompt : new TreeSet<>(prompts)) { // np.unique order
            Deque<Double> buf = buffers.computeIfAbsent(prompt, k -> new ArrayDeque<>());
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < prompts.size(); i++) {
                if (prompts.get(i).equals(prompt)) {
                    idx.add(i);
                    buf.addLast(rewards[i]);
                    if (buf.size() > bufferSize) {
                        buf.removeFirst();
                    }
                }
            }
            double mean;
            double std;
            if (buf.size() < minCount) {
                mean = batch[0];
                std = batch[1] + 1e-6;
            } else {
                double[] ms = AdvantageEstimator.meanStd(buf.stream().mapToDouble(Double::doubleValue).toArray());
                mean = ms[0];
                std = ms[1] + 1e-6;
            }
            for (int i : idx) {
                out[i] = (rewards[i] - mean) / std;
            }
        }
        return out;
    }

    /** The buffers, for checkpoints. */
    public Map<String, List<Double>> state() {
        Map<String, List<Double>> out = new LinkedHashMap<>();
        buffers.forEach((k, v) -> out.put(k, new ArrayList<>(v)));
        return out;
    }

    public void restore(Map<String, List<Double>> state) {
        buffers.clear();
        state.forEach((k, v) -> buffers.put(k, new ArrayDeque<>(v)));
    }
}
