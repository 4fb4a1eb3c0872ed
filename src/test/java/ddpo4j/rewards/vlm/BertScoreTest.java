package ddpo4j.rewards.vlm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import ddpo4j.io.SafetensorsReader;
import ddpo4j.testing.Fixtures;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The describe-mode scorer against ONNX Runtime and the HF tokenizers library run on the same
 * bundled all-MiniLM-L6-v2 files ({@code src/test/resources/minilm/make_fixture.py}): token ids,
 * per-token hidden states, and BERTScore as bert_score computes it.
 */
class BertScoreTest {
    private static BertScore scorer;
    private static SafetensorsReader ref;
    private static List<String> sentences;

    @BeforeAll
    static void load() throws Exception {
        scorer = BertScore.allMiniLmL6V2();
        ref = SafetensorsReader.open(Path.of(BertScoreTest.class.getResource("/minilm/reference.safetensors").toURI()));
        sentences = List.of(new ObjectMapper().readValue(ref.metadata().get("sentences"), String[].class));
    }

    @AfterAll
    static void close() {
        scorer.close();
        ref.close();
    }

    @Test
    void tokenIdsMatchHuggingFaceTokenizers() {
        for (int i = 0; i < sentences.size(); i++) {
            assertArrayEquals(ref.longs("ids." + i), scorer.tokenizer().encode(sentences.get(i), 512), sentences.get(i));
        }
        assertEquals(List.of("una", "##ffa", "##ble", "token", "##ization"),
                scorer.tokenizer().tokenize("Unaffable tokenization"));
    }

    @Test
    void hiddenStatesMatchOnnxRuntime() {
        for (int i = 0; i < sentences.size(); i++) {
            float[][] h = scorer.hiddenStates(ref.longs("ids." + i));
            float[] flat = new float[h.length * h[0].length];
            for (int t = 0; t < h.length; t++) {
                System.arraycopy(h[t], 0, flat, t * h[t].length, h[t].length);
            }
            Fixtures.assertClose(ref.floats("hidden." + i), flat, 1e-4, "MiniLM last_hidden_state " + i);
        }
    }

    @Test
    void scoresMatchBertScoreFormula() {
        long[] pairs = ref.longs("pairs");
        java.nio.DoubleBuffer b = ref.bytes("bertscore").order(java.nio.ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
        for (int k = 0; k < pairs.length / 2; k++) {
            BertScore.Result r = scorer.score(sentences.get((int) pairs[2 * k]), sentences.get((int) pairs[2 * k + 1]));
            assertEquals(b.get(3 * k), r.precision(), 1e-5, "precision " + k);
            assertEquals(b.get(3 * k + 1), r.recall(), 1e-5, "recall " + k);
            assertEquals(b.get(3 * k + 2), r.f1(), 1e-5, "f1 " + k);
        }
    }

    @Test
    void recallRanksAMatchingDescriptionAboveAnUnrelatedOne() {
        String reference = "The image contains three red circles";
        double match = scorer.score("There are three red circles on a white background.", reference).recall();
        double unrelated = scorer.score("A dog riding a skateboard in the park.", reference).recall();
        assertTrue(match > unrelated + 0.3, match + " vs " + unrelated);
        assertEquals(1.0, scorer.score(reference, reference).recall(), 1e-6);
    }
}
