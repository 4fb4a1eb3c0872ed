package ddpo4j.rl;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import ddpo4j.Ddpo4jException;
import ddpo4j.eval.ImageStatistics;
import ddpo4j.rewards.NonFiniteScoreException;
import ddpo4j.rewards.RewardException;
import ddpo4j.rewards.ScoredBatch;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * {@link SampledBatch}es as bytes for {@link Collective#allGather}: floats and doubles bit for bit,
 * strings as UTF-8, metadata and reward info as JSON, a failed sample as its error's message (and
 * score, for a non-finite one, which the NaN policy treats apart).
 */
final class SampledBatchCodec {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private SampledBatchCodec() {}

    /** Every rank's batches, in batch order; one process gets its own back untouched. */
    static List<SampledBatch> exchange(List<SampledBatch> mine, Collective ranks) {
        return ranks.exchange(mine, SampledBatchCodec::encode, SampledBatchCodec::decode,
                Comparator.comparingInt(SampledBatch::batch));
    }

    static byte[] encode(List<SampledBatch> batches) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(batches.size());
            for (SampledBatch b : batches) {
                out.writeInt(b.batch());
                out.writeInt(b.records().size());
                for (SampleRecord r : b.records()) {
                    out.writeLong(r.index());
                    writeString(out, r.prompt());
                    writeString(out, JSON.writeValueAsString(r.metadata()));
                    writeFloats(out, r.latents());
                    writeFloats(out, r.logProbs());
                    writeFloats(out, r.promptEmbeds());
                }
                writeScores(out, b.scores());
                out.writeBoolean(b.monitor() != null);
                if (b.monitor() != null) {
                    writeScores(out, b.monitor());
                }
                for (double d : b.imageStatistics().sums()) {
                    out.writeDouble(d);
                }
                out.writeInt(b.saved().size());
                for (SampledBatch.SavedImage s : b.saved()) {
                    out.writeInt(s.k());
                    out.writeInt(s.height());
                    out.writeInt(s.width());
                    writeFloats(out, s.chw());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e); // in memory: cannot happen
        }
        return bytes.toByteArray();
    }

    static List<SampledBatch> decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int n = in.readInt();
            List<SampledBatch> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int batch = in.readInt();
                int records = in.readInt();
                List<SampleRecord> rs = new ArrayList<>(records);
                for (int r = 0; r < records; r++) {
                    rs.add(new SampleRecord(in.readLong(), readString(in), JSON.readValue(readString(in), MAP),
                            readFloats(in), readFloats(in), readFloats(in)));
                }
                ScoredBatch scores = readScores(in);
                ScoredBatch monitor = in.readBoolean() ? readScores(in) : null;
                double[] sums = new double[ImageStatistics.SUMS];
                for (int k = 0; k < sums.length; k++) {
                    sums[k] = in.readDouble();
                }
                int saved = in.readInt();
                List<SampledBatch.SavedImage> images = new ArrayList<>(saved);
                for (int s = 0; s < saved; s++) {
                    int k = in.readInt();
                    int h = in.readInt();
                    int w = in.readInt();
                    images.add(new SampledBatch.SavedImage(k, readFloats(in), h, w));
                }
                out.add(new SampledBatch(batch, rs, scores, monitor, ImageStatistics.ofSums(sums), images));
            }
            if (in.available() > 0) {
                throw new Ddpo4jException("sampled batches from another rank: " + in.available() + " bytes left over");
            }
            return out;
        } catch (IOException e) {
            throw new Ddpo4jException("sampled batches from another rank are corrupt: " + e.getMessage(), e);
        }
    }

    private static void writeScores(DataOutputStream out, ScoredBatch s) throws IOException {
        out.writeInt(s.size());
        for (int i = 0; i < s.size(); i++) {
            RewardException e = s.error(i);
            out.writeBoolean(e == null);
            if (e == null) {
                out.writeDouble(s.score(i));
                writeString(out, JSON.writeValueAsString(s.info(i)));
            } else {
                out.writeBoolean(e instanceof NonFiniteScoreException);
                out.writeDouble(e instanceof NonFiniteScoreException nf ? nf.score() : Double.NaN);
                writeString(out, String.valueOf(e.getMessage()));
            }
        }
    }

    private static ScoredBatch readScores(DataInputStream in) throws IOException {
        int n = in.readInt();
        ScoredBatch.Builder b = new ScoredBatch.Builder(n);
        for (int i = 0; i < n; i++) {
            if (in.readBoolean()) {
                b.score(i, in.readDouble(), JSON.readValue(readString(in), MAP));
            } else {
                boolean nonFinite = in.readBoolean();
                double score = in.readDouble();
                String message = readString(in);
                b.fail(i, nonFinite ? new NonFiniteScoreException(message, score) : new RewardException(message));
            }
        }
        return b.build();
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** A float array, length first, bit for bit (NaN payloads included). */
    static void writeFloats(DataOutputStream out, float[] v) throws IOException {
        out.writeInt(v.length);
        for (float f : v) {
            out.writeInt(Float.floatToRawIntBits(f));
        }
    }

    static float[] readFloats(DataInputStream in) throws IOException {
        float[] v = new float[in.readInt()];
        for (int i = 0; i < v.length; i++) {
            v[i] = Float.intBitsToFloat(in.readInt());
        }
        return v;
    }
}
