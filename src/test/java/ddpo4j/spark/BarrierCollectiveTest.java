package ddpo4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The Base64 rounds of {@link BarrierCollective}, without Spark: three ranks as threads whose
 * string all-gather is a barrier, exchanging messages of lengths around the chunk size (a rank
 * needing more rounds than another, and empty messages, included).
 */
class BarrierCollectiveTest {
    private static final int RANKS = 3;
    private static final int CHUNK = 16; // Base64 characters: 12 bytes a round

    @Test
    void messagesOfAnyLengthArriveWholeInRankOrder() throws Exception {
        int[][] lengths = {{0, 0, 0}, {1, 12, 11}, {13, 0, 40}, {100, 7, 24}};
        Random random = new Random(5);
        for (int[] sizes : lengths) {
            byte[][] messages = new byte[RANKS][];
            for (int r = 0; r < RANKS; r++) {
                messages[r] = new byte[sizes[r]];
                random.nextBytes(messages[r]);
            }
            List<List<byte[]>> got = gather(messages);
            for (int r = 0; r < RANKS; r++) {
                for (int from = 0; from < RANKS; from++) {
                    assertArrayEquals(messages[from], got.get(r).get(from), "rank " + r + " got rank " + from + "'s");
                }
            }
        }
    }

    @Test
    void everyRankCountsTheSameRoundsAndChecksum() throws Exception {
        byte[][] messages = {new byte[100], new byte[5], new byte[30]}; // 136 Base64 chars: 9 rounds
        List<Map<String, Object>> traffic = new ArrayList<>();
        runRanks(messages, c -> {
            c.allGather(messages[c.rank()]);
            synchronized (traffic) {
                traffic.add(c.traffic().toMap());
            }
            return null;
        });
        for (Map<String, Object> t : traffic) {
            assertEquals(9L, t.get("rounds"));
            assertEquals(1L, t.get("all_gathers"));
            assertEquals(traffic.get(0).get("received_crc32c"), t.get("received_crc32c"));
        }
    }

    private static List<List<byte[]>> gather(byte[][] messages) throws Exception {
        return runRanks(messages, c -> c.allGather(messages[c.rank()]));
    }

    /** Runs {@code body} on each rank's collective, in threads, and returns the results by rank. */
    private static <T> List<T> runRanks(byte[][] messages, Function<BarrierCollective, T> body) throws Exception {
        String[] slots = new String[RANKS];
        String[][] result = new String[1][];
        CyclicBarrier arrived = new CyclicBarrier(RANKS, () -> result[0] = slots.clone());
        CyclicBarrier read = new CyclicBarrier(RANKS);
        ExecutorService pool = Executors.newFixedThreadPool(RANKS);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int r = 0; r < RANKS; r++) {
                int rank = r;
                Function<String, String[]> allGather = s -> {
                    try {
                        slots[rank] = s;
                        arrived.await(30, TimeUnit.SECONDS);
                        String[] all = result[0];
                        read.await(30, TimeUnit.SECONDS); // nobody overwrites a slot before all have read
                        return all;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                };
                futures.add(pool.submit(() -> body.apply(new BarrierCollective(rank, RANKS, allGather, CHUNK))));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get(60, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
