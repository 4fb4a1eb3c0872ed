package ddpo4j.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import ddpo4j.Ddpo4jException;
import ddpo4j.testing.FuzzInput;
import ddpo4j.testing.FuzzScratch;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The CLIP tokenizer on arbitrary files and arbitrary prompts. Loading a {@code tokenizer/} folder
 * either yields a tokenizer or fails with a Ddpo4jException naming the folder or file; any
 * prompt whatsoever encodes to {@code [bos, ..., eos, pad...]} of the configured length and decodes
 * again, never throwing.
 */
class ClipTokenizerFuzzTest {
    private static final FuzzScratch SCRATCH = new FuzzScratch("tokenizer-fuzz");
    private static final List<String> FILES = List.of(ClipTokenizer.VOCAB_FILE, ClipTokenizer.MERGES_FILE,
            TokenizerConfig.CONFIG_FILE, TokenizerConfig.SPECIAL_TOKENS_FILE);

    /** The bundled model's tokenizer: a real vocabulary and merges, loaded once. */
    private static final ClipTokenizer BUNDLED = ClipTokenizer.load(Path.of("models/shapes-sd/tokenizer"));

    /**
     * Input: vocab.json, merges.txt, tokenizer_config.json, special_tokens_map.json and a prompt,
     * separated by NUL bytes ({@link FuzzInput}); files past the last part are absent.
     */
    @FuzzTest(maxDuration = "30s")
    void loadFolderAndEncode(byte[] input) {
        List<byte[]> parts = FuzzInput.parts(input, FILES.size() + 1);
        SCRATCH.clear();
        for (int i = 0; i < parts.size() && i < FILES.size(); i++) {
            SCRATCH.write(FILES.get(i), parts.get(i));
        }
        ClipTokenizer tokenizer;
        try {
            tokenizer = ClipTokenizer.load(SCRATCH.dir());
        } catch (Ddpo4jException refused) {
            assertTrue(refused.getMessage().contains(SCRATCH.dir().toString()), "message lacks the folder: "
                    + refused.getMessage());
            return;
        }
        String prompt = parts.size() > FILES.size() ? new String(parts.get(FILES.size()), StandardCharsets.UTF_8) : "";
        encodeAndDecode(tokenizer, prompt);
    }

    /**
     * Any prompt through the bundled tokenizer. Input: the prompt as UTF-8; or, after a leading 0xFF
     * byte (never valid UTF-8), as UTF-16LE, which reaches strings no UTF-8 text holds (lone surrogates).
     */
    @FuzzTest(maxDuration = "30s")
    void encodeAnyPrompt(byte[] input) {
        boolean utf16 = input.length > 0 && input[0] == (byte) 0xFF;
        String prompt = utf16
                ? new String(input, 1, input.length - 1, StandardCharsets.UTF_16LE)
                : new String(input, StandardCharsets.UTF_8);
        encodeAndDecode(BUNDLED, prompt);
    }

    private static void encodeAndDecode(ClipTokenizer tokenizer, String prompt) {
        int[] ids = tokenizer.encode(prompt);
        assertEquals(tokenizer.maxLength(), ids.length);
        assertEquals(tokenizer.bosId(), ids[0]);
        int content = tokenizer.tokenIds(prompt).length;
        assertEquals(tokenizer.eosId(), ids[Math.min(content, tokenizer.maxLength() - 2) + 1]);
        tokenizer.decode(ids);
    }
}
