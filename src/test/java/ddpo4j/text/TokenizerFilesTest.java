package ddpo4j.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpo4j.Ddpo4jException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading of the tokenizer folder: config variants and errors that name the file at fault. */
class TokenizerFilesTest {
    @Test
    void missingVocabJsonIsNamed(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("merges.txt"), BpeTest.MERGES);
        Ddpo4jException e = assertThrows(Ddpo4jException.class, () -> ClipTokenizer.load(dir));
        assertTrue(e.getMessage().contains(dir.resolve("vocab.json").toString()), e.getMessage());
    }

    @Test
    void missingFolderIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("nope");
        Ddpo4jException e = assertThrows(Ddpo4jException.class, () -> ClipTokenizer.load(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void malformedMergesLineIsNamedWithItsLineNumber(@TempDir Path dir) throws IOException {
        BpeTest.writeTokenizer(dir, "#version: 0.2\na t</w>\nc at</w> extra\n", BpeTest.smallVocab(), null);
        Ddpo4jException e = assertThrows(Ddpo4jException.class, () -> ClipTokenizer.load(dir));
        assertTrue(e.getMessage().contains(dir.resolve("merges.txt").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
        assertTrue(e.getMessage().contains("c at</w> extra"), e.getMessage());
    }

    @Test
    void invalidJsonIsNamed(@TempDir Path dir) throws IOException {
        BpeTest.writeTokenizer(dir, BpeTest.MERGES, BpeTest.smallVocab(), null);
        Files.writeString(dir.resolve("vocab.json"), "{\"a\": 0, ");
        Ddpo4jException e = assertThrows(Ddpo4jException.class, () -> ClipTokenizer.load(dir));
        assertTrue(e.getMessage().contains(dir.resolve("vocab.json").toString()), e.getMessage());

        BpeTest.writeTokenizer(dir, BpeTest.MERGES, BpeTest.smallVocab(), "{model_max_length: 77}");
        e = assertThrows(Ddpo4jException.class, () -> ClipTokenizer.load(dir));
        assertTrue(e.getMessage().contains(dir.resolve("tokenizer_config.json").toString()), e.getMessage());
    }

    @Test
    void nonIntegerIdIsNamed(@TempDir Path dir) throws IOException {
        BpeTest.writeTokenizer(dir, BpeTest.MERGES, BpeTest.smallVocab(), null);
        Files.writeString(dir.resolve("vocab.json"), "{\"a\": \"zero\"}");
        Ddpo4jException e = assertThrows(Ddpo4jException.class, () -> ClipTokenizer.load(dir));
        assertTrue(e.getMessage().contains("vocab.json") && e.getMessage().contains("'a'"), e.getMessage());
    }

    @Test
    void specialTokenMissingFromVocabIsNamed(@TempDir Path dir) throws IOException {
        BpeTest.writeTokenizer(dir, BpeTest.MERGES, BpeTest.smallVocab(), "{\"pad_token\": \"<pad>\"}");
        Ddpo4jException e = assertThrows(Ddpo4jException.class, () -> ClipTokenizer.load(dir));
        assertTrue(e.getMessage().contains("pad_token") && e.getMessage().contains("vocab.json"), e.getMessage());
    }

    @Test
    void badModelMaxLengthIsNamed(@TempDir Path dir) throws IOException {
        BpeTest.writeTokenizer(dir, BpeTest.MERGES, BpeTest.smallVocab(),
                "{\"model_max_length\": 1000000000000000019884624838656}");
        Ddpo4jException e = assertThrows(Ddpo4jException.class, () -> ClipTokenizer.load(dir));
        assertTrue(e.getMessage().contains("tokenizer_config.json") && e.getMessage().contains("model_max_length"),
                e.getMessage());
        // An int, but every encoding would be an array of that many ids: refused, not allocated.
        BpeTest.writeTokenizer(dir, BpeTest.MERGES, BpeTest.smallVocab(), "{\"model_max_length\": 2147483647}");
        e = assertThrows(Ddpo4jException.class, () -> ClipTokenizer.load(dir));
        assertTrue(e.getMessage().contains("model_max_length is 2147483647"), e.getMessage());
    }

    @Test
    void configDefaultsStringsObjectsAndPrecedence(@TempDir Path dir) throws IOException {
        assertEquals(TokenizerConfig.defaults(), TokenizerConfig.load(dir)); // no files at all: defaults, 77
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"model_max_length\": 64,"
                + " \"bos_token\": {\"__type\": \"AddedToken\", \"content\": \"<s>\", \"lstrip\": false},"
                + " \"eos_token\": \"</s>\", \"pad_token\": null}");
        assertEquals(new TokenizerConfig(64, "<s>", "</s>", "<|endoftext|>", "<|endoftext|>"),
                TokenizerConfig.load(dir));
        // special_tokens_map.json is applied last in transformers, so it wins.
        Files.writeString(dir.resolve("special_tokens_map.json"), "{\"pad_token\": \"!\", \"eos_token\": {\"content\": \"<e>\"}}");
        assertEquals(new TokenizerConfig(64, "<s>", "<e>", "!", "<|endoftext|>"), TokenizerConfig.load(dir));
        Files.writeString(dir.resolve("special_tokens_map.json"), "{\"pad_token\": 5}");
        Ddpo4jException e = assertThrows(Ddpo4jException.class, () -> TokenizerConfig.load(dir));
        assertTrue(e.getMessage().contains("special_tokens_map.json") && e.getMessage().contains("pad_token"),
                e.getMessage());
    }

    @Test
    void unknownIdInDecodeIsNamed(@TempDir Path dir) throws IOException {
        ClipTokenizer tok = ClipTokenizer.load(BpeTest.writeTokenizer(dir, BpeTest.MERGES, BpeTest.smallVocab(), null));
        Ddpo4jException e = assertThrows(Ddpo4jException.class, () -> tok.decode(new int[] {12, 999}));
        assertTrue(e.getMessage().contains("999") && e.getMessage().contains("vocab.json"), e.getMessage());
    }
}
