package ddpo4j.rl;

import ddpo4j.Ddpo4jException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One minibatch's contribution to an accumulation window: its loss terms, one per visited
 * timestep ({loss, approx_kl, clipfrac, mean ratio}), and its gradient per trainable weight (null
 * when the window's gradient stayed in the weights: one process, one minibatch).
 */
record MinibatchPart(int minibatch, float[][] terms, float[][] grads) {
    /** The mean importance ratio over the minibatch's terms (the on-policy self-test's reading). */
    double ratioMean() {
        double sum = 0;
        for (float[] t : terms) {
            sum += t[3];
        }
        return sum / terms.length;
    }

    static byte[] encode(List<MinibatchPart> parts) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(parts.size());
            for (MinibatchPart p : parts) {
                out.writeInt(p.minibatch());
                writeArrays(out, p.terms());
                out.writeBoolean(p.grads() != null);
                if (p.grads() != null) {
                    writeArrays(out, p.grads());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e); // in memory: cannot happen
        }
        return bytes.toByteArray();
    }

    static List<MinibatchPart> decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int n = in.readInt();
            List<MinibatchPart> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int mb = in.readInt();
                float[][] terms = readArrays(in);
                out.add(new MinibatchPart(mb, terms, in.readBoolean() ? readArrays(in) : null));
            }
            return out;
        } catch (IOException e) {
            throw new Ddpo4jException("gradients from another rank are corrupt: " + e.getMessage(), e);
        }
    }

    private static void writeArrays(DataOutputStream out, float[][] arrays) throws IOException {
        out.writeInt(arrays.length);
        for (float[] a : arrays) {
            SampledBatchCodec.writeFloats(out, a);
        }
    }

    private static float[][] readArrays(DataInputStream in) throws IOException {
        float[][] out = new float[in.readInt()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = SampledBatchCodec.readFloats(in);
        }
        return out;
    }
}
