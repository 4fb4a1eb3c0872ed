package ddpo4j.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ddpo4j.Ddpo4jException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An uncased BERT tokenizer read from a Hugging Face {@code tokenizer.json} (WordPiece model,
 * BertNormalizer with lower-casing): BERT's basic tokenization (clean, CJK, lower-case, strip
 * accents, split punctuation), then greedy longest-match-first WordPiece with {@code ##}
 * continuations; a word with no segmentation, or longer than 100 characters, becomes {@code [UNK]}.
 */
public final class WordPieceTokenizer {
    private final Map<String, Integer> vocab;
    private final String prefix;
    private final int maxInputCharsPerWord;
    private final String unk;
    private final int unkId;
    private final int clsId;
    private final int sepId;
    private final BasicTextNormalizer basic = new BasicTextNormalizer();

    private WordPieceTokenizer(Map<String, Integer> vocab, String prefix, int maxInputCharsPerWord, String unk) {
        this.vocab = vocab;
        this.prefix = prefix;
        this.maxInputCharsPerWord = maxInputCharsPerWord;
        this.unk = unk;
        this.unkId = id(unk);
        this.clsId = id("[CLS]");
        this.sepId = id("[SEP]");
    }

    private int id(String token) {
        Integer id = vocab.get(token);
        if (id == null) {
            throw new Ddpo4jException("tokenizer vocabulary lacks " + token);
        }
        return id;
    }

    /** Parses the contents of a {@code tokenizer.json}; {@code source} names it in errors. */
    public static WordPieceTokenizer fromTokenizerJson(String json, String source) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new Ddpo4jException("invalid JSON in " + source + ": " + e.getMessage(), e);
        }
        JsonNode model = root.path("model");
        if (!model.path("type").asText().equals("WordPiece") || !model.path("vocab").isObject()) {
            throw new Ddpo4jException(source + ": not a WordPiece tokenizer");
        }
        JsonNode norm = root.path("normalizer");
        JsonNode stripAccents = norm.path("strip_accents"); // null: follows lowercase
        if (!norm.path("type").asText().equals("BertNormalizer") || !norm.path("lowercase").asBoolean(false)
                || stripAccents.isBoolean() && !stripAccents.booleanValue()) {
            throw new Ddpo4jException(source + ": only uncased BERT normalization (BertNormalizer, lowercase, accents"
                    + " stripped) is supported, got " + norm);
        }
        Map<String, Integer> vocab = new HashMap<>();
        model.path("vocab").fields().forEachRemaining(e -> vocab.put(e.getKey(), e.getValue().intValue()));
        return new WordPieceTokenizer(vocab, model.path("continuing_subword_prefix").asText("##"),
                model.path("max_input_chars_per_word").asInt(100), model.path("unk_token").asText("[UNK]"));
    }

    /** The word pieces of {@code text}, without special tokens. */
    public List<String> tokenize(String text) {
        List<String> out = new ArrayList<>();
        for (String word : basic.words(text)) {
            wordPieces(word, out);
        }
        return out;
    }

    /** {@code [CLS]} + piece ids + {@code [SEP]}, the pieces cut so the whole fits {@code maxLength}. */
    public long[] encode(String text, int maxLength) {
        List<String> pieces = tokenize(text);
        int n = Math.min(pieces.size(), maxLength - 2);
        long[] ids = new long[n + 2];
        ids[0] = clsId;
        for (int i = 0; i < n; i++) {
            ids[i + 1] = vocab.getOrDefault(pieces.get(i), unkId);
        }
        ids[n + 1] = sepId;
        return ids;
    }

    private void wordPieces(String word, List<String> out) {
        int[] cps = word.codePoints().toArray();
        if (cps.length > maxInputCharsPerWord) {
            out.add(unk);
            return;
        }
        List<String> pieces = new ArrayList<>();
        int start = 0;
        while (start < cps.length) {
            String match = null;
            int end = cps.length;
            while (start < end) {
                String sub = new String(cps, start, end - start);
                if (start > 0) {
                    sub = prefix + sub;
                }
                if (vocab.containsKey(sub)) {
                    match = sub;
                    break;
                }
                end--;
            }
            if (match == null) {
                out.add(unk);
                return;
            }
            pieces.add(match);
            start = end;
        }
        out.addAll(pieces);
    }
}
