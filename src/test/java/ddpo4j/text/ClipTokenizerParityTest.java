package ddpo4j.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Parity with the reference: the six prompts of tiny-sd's reference/inputs.json and text.safetensors. */
class ClipTokenizerParityTest {
    private static final Path DIR = Path.of("..", "shared", "fixtures", "tiny-sd");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ClipTokenizer tokenizer;
    private static JsonNode inputs;
    private static JsonNode vocab;

    @BeforeAll
    static void load() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(DIR), "../shared/fixtures absent: skipping tokenizer parity");
        tokenizer = ClipTokenizer.load(DIR.resolve("tokenizer"));
        inputs = JSON.readTree(DIR.resolve("reference/inputs.json").toFile());
        vocab = JSON.readTree(DIR.resolve("tokenizer/vocab.json").toFile());
    }

    @Test
    void fixtureTokenizerShape() {
        assertEquals(707, tokenizer.vocabSize());
        assertEquals(705, tokenizer.bosId());
        assertEquals(706, tokenizer.eosId());
        assertEquals(706, tokenizer.padId());
        assertEquals(77, tokenizer.maxLength());
    }

    @Test
    void everyTokenStringMatchesInputsJson() {
        JsonNode prompts = inputs.get("prompts");
        assertEquals(6, prompts.size());
        for (int p = 0; p < prompts.size(); p++) {
            List<String> expected = new ArrayList<>();
            inputs.get("tokens").get(p).forEach(t -> expected.add(t.textValue()));
            assertEquals(expected, paddedTokens(prompts.get(p).textValue()), "prompt " + p);
        }
    }

    @Test
    void everyIdMatchesVocabJsonAndTextSafetensors() throws IOException {
        long[][] reference = referenceInputIds();
        List<String> prompts = new ArrayList<>();
        inputs.get("prompts").forEach(p -> prompts.add(p.textValue()));
        long[][] batch = tokenizer.encodeBatch(prompts);
        for (int p = 0; p < prompts.size(); p++) {
            JsonNode tokens = inputs.get("tokens").get(p);
            long[] viaVocab = new long[tokens.size()];
            for (int i = 0; i < viaVocab.length; i++) {
                viaVocab[i] = vocab.get(tokens.get(i).textValue()).longValue();
            }
            assertArrayEquals(viaVocab, batch[p], "prompt " + p + " vs inputs.json tokens through vocab.json");
            assertArrayEquals(reference[p], batch[p], "prompt " + p + " vs text.safetensors input_ids");
            assertArrayEquals(batch[p], toLong(tokenizer.encode(prompts.get(p))), "encode vs encodeBatch");
        }
    }

    @Test
    void documentedCases() {
        assertEquals(List.of("a</w>", "dog</w>", "!</w>", "!</w>", "riding</w>", "a</w>", "bike</w>"),
                tokenizer.tokenize("A Dog!!  riding a bike"));
        List<String> cafe = tokenizer.tokenize("Two Corgis playing in the Café, 4k: astronaut's horse #1");
        assertEquals(List.of("cafe</w>", ",</w>", "4</w>", "k</w>", ":</w>", "astronaut</w>", "'</w>", "s</w>"),
                cafe.subList(5, 13));
        assertEquals(List.of(), tokenizer.tokenize(""));
    }

    @Test
    void longPromptIsTruncatedKeepingEos() {
        String longPrompt = inputs.get("prompts").get(5).textValue();
        assertEquals(100, tokenizer.tokenize(longPrompt).size());
        int[] ids = tokenizer.encode(longPrompt);
        assertEquals(77, ids.length);
        assertEquals(tokenizer.bosId(), ids[0]);
        assertEquals(tokenizer.eosId(), ids[76]);
        assertArrayEquals(Arrays.copyOf(tokenizer.tokenIds(longPrompt), 75),
                Arrays.copyOfRange(ids, 1, 76));
    }

    @Test
    void decodeReadsBack() {
        assertEquals("a dog ! ! riding a bike", tokenizer.decode(tokenizer.encode("A Dog!!  riding a bike")));
        assertEquals("", tokenizer.decode(tokenizer.encode("")));
    }

    private static List<String> paddedTokens(String prompt) {
        List<String> content = tokenizer.tokenize(prompt);
        List<String> out = new ArrayList<>();
        out.add("<|startoftext|>");
        out.addAll(content.subList(0, Math.min(content.size(), tokenizer.maxLength() - 2)));
        out.add("<|endoftext|>");
        while (out.size() < tokenizer.maxLength()) {
            out.add("<|endoftext|>");
        }
        return out;
    }

    /** input_ids [6, 77] int64 from text.safetensors (8-byte header length, JSON header, raw LE data). */
    private static long[][] referenceInputIds() throws IOException {
        byte[] file = Files.readAllBytes(DIR.resolve("reference/text.safetensors"));
        ByteBuffer buf = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = (int) buf.getLong(0);
        JsonNode entry = JSON.readTree(new String(file, 8, headerLength, StandardCharsets.UTF_8)).get("input_ids");
        assertEquals("I64", entry.get("dtype").textValue());
        int rows = entry.get("shape").get(0).intValue();
        int cols = entry.get("shape").get(1).intValue();
        int base = 8 + headerLength + entry.get("data_offsets").get(0).intValue();
        long[][] out = new long[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[r][c] = buf.getLong(base + 8 * (r * cols + c));
            }
        }
        return out;
    }

    private static long[] toLong(int[] a) {
        return Arrays.stream(a).asLongStream().toArray();
    }
}
