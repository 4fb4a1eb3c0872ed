package ddpo4j.rl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * The ranks of a data-parallel run and the one collective they need: every rank hands in its bytes
 * and gets every rank's, in rank order (a barrier). Everything a run exchanges (sampled batches
 * with their scores, per-minibatch gradients, evaluation results) goes through it, and each rank
 * combines what it receives in the same global order a single process uses, so N ranks compute
 * what one process computes. {@link #single()} is the one-process run.
 */
public interface Collective {
    int rank();

    /** Number of ranks. */
    int size();

    /** Every rank's {@code mine}, indexed by rank. Blocks until all ranks have called it. */
    List<byte[]> allGather(byte[] mine);

    /**
     * Every rank's items, encoded and decoded with the given codec, in {@code order} (items are
     * unique across ranks: a batch or minibatch index); one process gets its own back untouched.
     */
    default <T> List<T> exchange(List<T> mine, Function<List<T>, byte[]> encode, Function<byte[], List<T>> decode,
            Comparator<T> order) {
        if (size() == 1) {
            return mine;
        }
        List<T> all = new ArrayList<>();
        for (byte[] b : allGather(encode.apply(mine))) {
            all.addAll(decode.apply(b));
        }
        all.sort(order);
        return all;
    }

    default boolean isLeader() {
        return rank() == 0;
    }

    /** One process: rank 0 of 1. */
    static Collective single() {
        return new Collective() {
            @Override
            public int rank() {
                return 0;
            }

            @Override
            public int size() {
                return 1;
            }

            @Override
            public List<byte[]> allGather(byte[] mine) {
                return List.of(mine);
            }
        };
    }
}
