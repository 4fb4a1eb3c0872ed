package ddpo4j.rl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * N ranks as threads of one JVM, for tests: a rank computes only while it holds the turn, which it
 * gives up inside {@link Collective#allGather} and takes back after. So libtorch work never runs
 * on two ranks at once: DJL allows one gradient collector at a time, and the oneDNN switch of
 * {@code tensor.OneDnnConvolutions} is process-wide. Real ranks are separate JVMs (Spark).
 */
final class ThreadRanks {
    private final int size;
    private final ReentrantLock turn = new ReentrantLock(true);
    private final CyclicBarrier arrived;
    private final byte[][][] slots; // two generations, so a fast rank cannot overwrite what a slow one reads

    ThreadRanks(int size) {
        this.size = size;
        this.arrived = new CyclicBarrier(size);
        this.slots = new byte[2][size][];
    }

    /** Runs {@code body} on each rank (in its own thread, taking turns) and returns the results by rank. */
    <T> List<T> run(Function<Collective, T> body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(size);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int r = 0; r < size; r++) {
                Collective c = rank(r);
                futures.add(pool.submit(() -> {
                    turn.lock();
                    try {
                        return body.apply(c);
                    } finally {
                        turn.unlock();
                    }
                }));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                try {
                    out.add(f.get());
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception x ? x : e;
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private Collective rank(int r) {
        return new Collective() {
            private int generation;

            @Override
            public int rank() {
                return r;
            }

            @Override
            public int size() {
                return size;
            }

            @Override
            public List<byte[]> allGather(byte[] mine) {
                byte[][] slot = slots[generation++ % 2];
                slot[r] = mine;
                turn.unlock();
                try {
                    arrived.await(10, TimeUnit.MINUTES); // a rank that skipped a gather fails the test, not hangs it
                    return List.copyOf(Arrays.asList(slot.clone()));
                } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                    throw new IllegalStateException("rank " + r + ": the other ranks went away", e);
                } finally {
                    turn.lock();
                }
            }
        };
    }
}
