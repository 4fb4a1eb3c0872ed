package ddpo4j.spark;

import ddpo4j.rl.Collective;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.CRC32C;
import org.apache.spark.BarrierTaskContext;

/**
 * {@link Collective} over a Spark barrier stage: one task per rank, {@code allGather} through
 * {@link BarrierTaskContext#allGather(String)}, which carries strings, so bytes travel as Base64.
 * A message longer than {@link #CHUNK} characters goes in several rounds: the driver's barrier
 * coordinator holds every rank's part and sends all of them to each rank, so one round's memory
 * on the driver stays near N x CHUNK whatever the gradient size.
 */
final class BarrierCollective implements Collective {
    /** Base64 characters per rank and round (6 MiB of payload): an SD 1.5 rank-4 LoRA's gradient is one round. */
    static final int CHUNK = 8 << 20;

    private final BarrierTaskContext context;
    private final int size;
    private final Traffic traffic = new Traffic();

    BarrierCollective(BarrierTaskContext context) {
        this.context = context;
        this.size = context.getTaskInfos().length;
    }

    @Override
    public int rank() {
        return context.partitionId();
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
        int rounds = Math.max(1, (text.length() + CHUNK - 1) / CHUNK);
        // round 0 tells every rank how many rounds each needs: "rounds:part"
        String[] first = context.allGather(rounds + ":" + part(text, 0));
        int most = 0;
        List<StringBuilder> all = new ArrayList<>();
        for (String s : first) {
            int colon = s.indexOf(':');
            most = Math.max(most, Integer.parseInt(s.substring(0, colon)));
            all.add(new StringBuilder(s.substring(colon + 1)));
        }
        for (int round = 1; round < most; round++) {
            String[] parts = context.allGather(part(text, round));
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

    private static String part(String text, int round) {
        int from = Math.min(text.length(), round * CHUNK);
        return text.substring(from, Math.min(text.length(), from + CHUNK));
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

        /** One line of JSON for the driver's summary. */
        String toJson(int rank, int attempt, int firstEpoch) {
            return String.format("{\"rank\":%d,\"stage_attempt\":%d,\"first_epoch\":%d,\"all_gathers\":%d,"
                    + "\"rounds\":%d,\"bytes_sent\":%d,\"seconds_in_all_gather\":%.3f,\"received_crc32c\":\"%s\"}",
                    rank, attempt, firstEpoch, gathers, rounds, bytesSent, nanos / 1e9,
                    Long.toHexString(received.getValue()));
        }
    }
}
