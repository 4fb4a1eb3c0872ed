package ddpo4j.rl;

import ai.djl.ndarray.NDArray;
import ddpo4j.Ddpo4jException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * A rank's CRC32C of every trainable weight after an optimizer step, compared across ranks: equal
 * arithmetic must give equal bytes, so a difference (executors on different thread counts or CPU
 * kinds) stops the run at the step where it appeared, not epochs later. It travels as an 8-byte
 * prefix of the next message the ranks exchange anyway.
 */
record WeightChecksum(int step, long value) {
    private static final int PREFIX = 9; // a flag byte, then the checksum

    static long of(List<NDArray> weights) {
        CRC32C crc = new CRC32C();
        for (NDArray w : weights) {
            float[] v = w.toFloatArray();
            ByteBuffer bytes = ByteBuffer.allocate(4 * v.length);
            bytes.asFloatBuffer().put(v);
            crc.update(bytes);
        }
        return crc.getValue();
    }

    /** The checksum alone, as a message. */
    byte[] bytes() {
        return prefix(this, new byte[0]);
    }

    /** {@code payload} behind {@code checksum}'s prefix (a zero flag when there is none). */
    static byte[] prefix(WeightChecksum checksum, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(PREFIX + payload.length);
        b.put((byte) (checksum == null ? 0 : 1)).putLong(checksum == null ? 0 : checksum.value()).put(payload);
        return b.array();
    }

    /** The checksum a message carries (its flag, then its value: compared as such). */
    static byte[] head(byte[] message) {
        return Arrays.copyOfRange(message, 0, PREFIX);
    }

    static byte[] tail(byte[] message) {
        return Arrays.copyOfRange(message, PREFIX, message.length);
    }

    /** Compares this rank's checksum with every rank's (each a {@link #head}); a difference is an error. */
    void verify(int epoch, int rank, List<byte[]> all) {
        byte[] mine = head(bytes());
        for (int r = 0; r < all.size(); r++) {
            byte[] theirs = head(all.get(r));
            if (!Arrays.equals(theirs, mine)) {
                throw new Ddpo4jException("epoch " + epoch + ", optimizer step " + step + ": the weights of rank " + rank
                        + " (checksum " + Long.toHexString(value) + ") differ from rank " + r + "'s ("
                        + (theirs[0] == 0 ? "none" : Long.toHexString(ByteBuffer.wrap(theirs, 1, 8).getLong())) + "):"
                        + " every rank must run the same build, thread count (OMP_NUM_THREADS) and kind of CPU");
            }
        }
    }
}
