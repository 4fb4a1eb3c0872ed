package ddpo4j.spark;

import ddpo4j.rl.Collective;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.CRC32C;
import org.apache.spark.BarrierTaskContext;

/**
 * {@link Collective} over a Spark barrier stage: one task per rank, {@code allGather} through
 * {@link BarrierTaskContext#allGather(String)}, which carries strings, so bytes travel as Base64.
 * A message longer than {@code chunk} characters goes in several rounds: the driver's barrier
 * coordinator holds every rank's part and sends all of them to each rank, so one round's memory
 * on the driver stays near N x chunk whatever the gradient size.
 */
final class BarrierCollective implements Collective {
    /** Base64 characters per rank and round (6 MiB of payload): an SD 1.5 rank-4 LoRA's gradient is one round. */
    static final int CHUNK = 8 << 20;

    private final int rank;
    private final int size;
    private final Function<String, String[]> gather;
    private final int chunk;
    private final Traffic traffic = new Traffic();

    /** Rank {@code rank} of {@code size}, whose strings {@code gather} exchanges (a barrier stage's allGather). */
    BarrierCollective(int rank, int size, Function<String, String[]> gather, int chunk) {
        if (chunk < 4) {
            throw new IllegalArgumentException("chunk " + chunk);
        }
        this.rank = rank;
        this.size = size;
        this.gather = gather;
        this.chunk = chunk;
    }

    /** This barrier task's rank (its partition) among all the stage's tasks. */
    static BarrierCollective of(BarrierTaskContext context, int chunk) {
        return new BarrierCollective(context.partitionId(), context.getTaskInfos().length, context::allGather, chunk);
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public int size() {
        return size;
    }

    /** What went through this rank's all-gathers so far. */
    Traffic traffic() {
        return traffic;
    }

    @Override
    public List<byte[]> allGather(byte[] mine) {
        long t0 = System.nanoTime();
        String text = Base64.getEncoder().encodeToString(mine);
        int rounds = Math.max(1, (text.length() + chunk - 1) / chunk);
        // round 0 tells every rank how many rounds each needs: "rounds:part"
        String[] first = gather.apply(rounds + ":" + part(text, 0));
        int most = 0;
        List<StringBuilder> all = new ArrayList<>();
        for (String s : first) {
            int colon = s.indexOf(':');
            most = Math.max(most, Integer.parseInt(s.substring(0, colon)));
            all.add(new StringBuilder(s.substring(colon + 1)));
        }
        for (int round = 1; round < most; round++) {
            String[] parts = gather.apply(part(text, round));
            for (int r = 0; r < size; r++) {
                all.get(r).append(parts[r]);
            }
        }
        List<byte[]> out = new ArrayList<>(size);
        for (StringBuilder b : all) {
            out.add(Base64.getDecoder().decode(b.toString()));
        }
        traffic.add(mine.length, most, out, System.nanoTime() - t0);
        return out;
    }

    private String part(String text, int round) {
        int from = (int) Math.min(text.length(), (long) round * chunk);
        return text.substring(from, (int) Math.min(text.length(), (long) from + chunk));
    }

    /**
     * Counts of one rank's all-gathers and a checksum over everything it received, in order: every
     * rank receives the same, so equal checksums across ranks show they exchanged the same bytes
     * (the per-step weight checksums of {@code PolicyUpdate} among them).
     */
    static final class Traffic {
        private final CRC32C received = new CRC32C();
        private long gathers;
        private long rounds;
        private long bytesSent;
        private long nanos;

        private void add(int sent, int roundsTaken, List<byte[]> got, long elapsed) {
            gathers++;
            rounds += roundsTaken;
            bytesSent += sent;
            nanos += elapsed;
            for (byte[] b : got) {
                received.update(b);
            }
        }

        /** The counts, for the rank's summary. */
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("all_gathers", gathers);
            m.put("rounds", rounds);
            m.put("bytes_sent", bytesSent);
            m.put("seconds_in_all_gather", nanos / 1e9);
            m.put("received_crc32c", Long.toHexString(received.getValue()));
            return m;
        }
    }
}
