package ddpo4j.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BPE and the whole tokenizer on a hand-made vocabulary written to a temporary folder. */
class BpeTest {
    // Rank order matters: "a t</w>" before "c at</w>" builds "cat</w>"; "l o" is ranked after "o w</w>".
    static final String MERGES = String.join("\n",
            "#version: 0.2",
            "a t</w>",
            "c at</w>",
            "o w</w>",
            "l o",
            "l ow</w>",
            "a a",
            "");

    static Path writeTokenizer(Path dir, String merges, Map<String, Integer> vocab, String config) throws IOException {
        StringBuilder json = new StringBuilder("{");
        vocab.forEach((k, v) -> json.append(json.length() > 1 ? "," : "")
                .append('"').append(k.replace("\\", "\\\\").replace("\"", "\\\"")).append("\":").append(v));
        json.append('}');
        Files.writeString(dir.resolve("vocab.json"), json, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("merges.txt"), merges, StandardCharsets.UTF_8);
        if (config != null) {
            Files.writeString(dir.resolve("tokenizer_config.json"), config, StandardCharsets.UTF_8);
        }
        return dir;
    }

    static Map<String, Integer> smallVocab() {
        Map<String, Integer> v = new LinkedHashMap<>();
        for (String t : List.of("a", "c", "l", "o", "w", "t", "a</w>", "t</w>", "w</w>", "s</w>", "!</w>",
                "at</w>", "cat</w>", "ow</w>", "lo", "low</w>", "aa", "<|startoftext|>", "<|endoftext|>")) {
            v.put(t, v.size());
        }
        return v;
    }

    @Test
    void mergesByRankWithEndOfWordOnLastSymbol() {
        Bpe bpe = new Bpe(BpeMerges.parse(MERGES, "merges.txt"));
        assertEquals(List.of("cat</w>"), bpe.apply("cat"));
        assertEquals(List.of("a</w>"), bpe.apply("a"));               // single char: just c</w>
        assertEquals(List.of("c", "a", "t", "s</w>"), bpe.apply("cats")); // "a t</w>" needs t last
        // "o w</w>" (rank 2) before "l o" (rank 3): low -> l ow</w> -> low</w>.
        assertEquals(List.of("low</w>"), bpe.apply("low"));
        // Non-overlapping, left to right: aaa -> aa a</w>; aaaa -> aa aa (then no "aa a</w>" merge).
        assertEquals(List.of("aa", "a</w>"), bpe.apply("aaa"));
        assertEquals(List.of("aa", "a", "a</w>"), bpe.apply("aaaa"));
        assertSame(bpe.apply("cat"), bpe.apply("cat")); // cached
    }

    @Test
    void ranksFollowFileOrderAfterTheHeader() {
        BpeMerges m = BpeMerges.parse(MERGES, "merges.txt");
        assertEquals(6, m.size());
        assertEquals(0, m.rank("a", "t</w>"));
        assertEquals(5, m.rank("a", "a"));
        assertEquals(Integer.MAX_VALUE, m.rank("t", "a"));
        // A repeated pair keeps its last rank (Python dict semantics); CRLF and blank tail are fine.
        BpeMerges dup = BpeMerges.parse("#v\r\nx y\r\np q\r\nx y\r\n\r\n", "merges.txt");
        assertEquals(2, dup.rank("x", "y"));
        assertEquals(1, dup.rank("p", "q"));
    }

    @Test
    void onlyTheTransformersSliceIsRead() {
        StringBuilder sb = new StringBuilder("#version: 0.2\n");
        int total = BpeMerges.CLIP_SLICE_END + 10;
        for (int i = 0; i < total; i++) {
            sb.append("s").append(i).append(" t").append(i).append('\n');
        }
        sb.append("this line is beyond the slice and would be malformed\n");
        BpeMerges m = BpeMerges.parse(sb.toString(), "merges.txt");
        assertEquals(48894, m.size());
        assertEquals(48893, m.rank("s48893", "t48893"));
        assertEquals(Integer.MAX_VALUE, m.rank("s48894", "t48894"));
    }

    @Test
    void wholeTokenizerOnHandMadeFiles(@TempDir Path dir) throws IOException {
        ClipTokenizer tok = ClipTokenizer.load(writeTokenizer(dir, MERGES, smallVocab(), "{\"model_max_length\": 6}"));
        assertEquals(6, tok.maxLength());
        assertEquals(19, tok.vocabSize());
        assertEquals(List.of("cat</w>", "low</w>", "!</w>"), tok.tokenize("CAT low!"));
        int bos = 17;
        int eos = 18;
        assertArrayEquals(new int[] {bos, 12, 15, 10, eos, eos}, tok.encode("CAT low!"));
        // Truncation keeps maxLength - 2 tokens and the final eos.
        assertArrayEquals(new int[] {bos, 12, 12, 12, 12, eos}, tok.encode("cat cat cat cat cat cat"));
        assertEquals("cat low !", tok.decode(tok.encode("CAT low!")));
        assertArrayEquals(new long[][] {{bos, eos, eos, eos, eos, eos}, {bos, 6, eos, eos, eos, eos}},
                tok.encodeBatch(List.of("", "a")));
    }

    @Test
    void unknownTokensFallBackToUnk(@TempDir Path dir) throws IOException {
        ClipTokenizer tok = ClipTokenizer.load(writeTokenizer(dir, MERGES, smallVocab(), null));
        // "z</w>" and "é" bytes are not in this vocabulary: each unknown token becomes unk (= eos here).
        assertEquals(List.of("cat</w>", "z</w>"), tok.tokenize("cat z"));
        assertEquals(18, tok.unkId());
        assertArrayEquals(new int[] {12, 18}, tok.tokenIds("cat z"));
        // 猫 is three UTF-8 bytes with no merges: three unknown symbols.
        assertEquals(List.of("ç", "Į", "«</w>"), tok.tokenize("猫"));
        assertArrayEquals(new int[] {18, 18, 18}, tok.tokenIds("猫"));
    }

    @Test
    void specialTokensWrittenInTheTextStayWhole(@TempDir Path dir) throws IOException {
        ClipTokenizer tok = ClipTokenizer.load(writeTokenizer(dir, MERGES, smallVocab(), null));
        // Cut out before normalization, like transformers' added-token trie, even without spaces.
        assertEquals(List.of("cat</w>", "<|endoftext|>", "cat</w>"), tok.tokenize("cat<|endoftext|>cat"));
        // Not an exact match: lower-cased and punctuation-split like any text.
        assertEquals(List.of("<</w>", "|</w>"), tok.tokenize("<|ENDOFTEXT|>").subList(0, 2));
    }
}
