package ddpo4j.bench;

import ddpo4j.rl.ProcessStats;
import ddpo4j.rl.TrainingListener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Memory soak: many epochs with the reference's settings (as {@link Benchmark}'s epoch), reporting
 * RSS after every epoch and the growth after a warm-up. A leak of one tensor per step shows here
 * as a steady climb; allocator caches show as a plateau.
 */
public final class Soak {
    /** RSS is compared from this epoch on: before it, JIT, oneDNN caches and the heap settle. */
    public static final int WARM_UP_EPOCHS = 10;

    private Soak() {}

    /** Runs {@code epochs} epochs; {@code perEpoch} gets one record per epoch; returns the summary. */
    public static Map<String, Object> run(Benchmark.Settings s, int epochs, Consumer<Map<String, Object>> perEpoch)
            throws Exception {
        List<Double> rss = new ArrayList<>();
        long start = System.nanoTime();
        ReferenceRun.train(s, epochs, new TrainingListener() {
            @Override
            public void epochEnd(Map<String, Object> metrics) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("epoch", metrics.get("epoch"));
                e.put("rss_mb", metrics.get("rss_mb"));
                e.put("peak_rss_mb", metrics.get("peak_rss_mb"));
                e.put("jvm_heap_mb", metrics.get("jvm_heap_mb"));
                rss.add(((Number) metrics.get("rss_mb")).doubleValue());
                perEpoch.accept(e);
            }
        });
        return summary(rss, (System.nanoTime() - start) / 1e9);
    }

    /** Growth of RSS from the end of the warm-up to the largest value after it, in percent. */
    static Map<String, Object> summary(List<Double> rss, double seconds) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("soak_epochs", rss.size());
        out.put("seconds", seconds);
        if (rss.size() > WARM_UP_EPOCHS) {
            double base = rss.get(WARM_UP_EPOCHS - 1);
            double max = rss.subList(WARM_UP_EPOCHS - 1, rss.size()).stream().mapToDouble(Double::doubleValue).max()
                    .orElse(base);
            out.put("rss_mb_after_warm_up", base);
            out.put("rss_mb_max_after_warm_up", max);
            out.put("rss_mb_last", rss.get(rss.size() - 1));
            out.put("growth_after_warm_up_pct", 100 * (max - base) / base);
        }
        out.put("peak_rss_mb", ProcessStats.peakRssMb());
        return out;
    }
}
