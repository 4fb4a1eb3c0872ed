package ddpo4j.spark;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Optional, before training ({@code --spark-conf spark.ddpo4j.probeAllGatherBytes=N}): times
 * all-gathers of N bytes per rank, as a gradient exchange of that size costs on this cluster. The
 * first gather also waits for the slowest rank to arrive, so it is left out of the timing.
 */
final class AllGatherProbe {
    static final String BYTES = "spark.ddpo4j.probeAllGatherBytes";
    private static final int TIMED = 5;

    private AllGatherProbe() {}

    /** The probe's results for the rank's summary (empty when {@code bytes} is 0). */
    static Map<String, Object> run(BarrierCollective ranks, int bytes) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (bytes <= 0) {
            return out;
        }
        byte[] payload = new byte[bytes];
        Arrays.fill(payload, (byte) ranks.rank());
        ranks.allGather(payload); // everyone has arrived after this one
        long t0 = System.nanoTime();
        for (int i = 0; i < TIMED; i++) {
            ranks.allGather(payload);
        }
        out.put("probe_bytes_per_rank", bytes);
        out.put("probe_seconds_per_all_gather", (System.nanoTime() - t0) / 1e9 / TIMED);
        return out;
    }
}
