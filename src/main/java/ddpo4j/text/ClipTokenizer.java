package ddpo4j.text;

import ddpo4j.Ddpo4jException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * CLIP's tokenizer for Stable Diffusion prompts, reproducing transformers' slow CLIPTokenizer as it
 * runs without ftfy: special-token split, BERT basic normalization, CLIP regex, byte-level BPE,
 * then {@code <|startoftext|> ... <|endoftext|>} padded or truncated to {@link #maxLength()}.
 */
public final class ClipTokenizer {
    public static final String VOCAB_FILE = "vocab.json";
    public static final String MERGES_FILE = "merges.txt";

    /** CLIP's bpe() cache is seeded with these, so a regex match on them is emitted whole. */
    private static final Set<String> CLIP_LITERALS = Set.of("<|startoftext|>", "<|endoftext|>");

    private final Path source;
    private final Vocabulary vocab;
    private final Bpe bpe;
    private final TokenizerConfig config;
    private final Set<String> specialTokens;
    private final SpecialTokenSplitter specialSplitter;
    private final BasicTextNormalizer normalizer;
    private final int bosId;
    private final int eosId;
    private final int padId;
    private final int unkId;

    private ClipTokenizer(Path source, Vocabulary vocab, BpeMerges merges, TokenizerConfig config) {
        this.source = source;
        this.vocab = vocab;
        this.bpe = new Bpe(merges);
        this.config = config;
        this.specialTokens = Set.copyOf(List.of(config.bos(), config.eos(), config.pad(), config.unk()));
        this.specialSplitter = new SpecialTokenSplitter(specialTokens);
        this.normalizer = new BasicTextNormalizer(specialTokens);
        this.bosId = requireId(config.bos(), "bos_token");
        this.eosId = requireId(config.eos(), "eos_token");
        this.padId = requireId(config.pad(), "pad_token");
        this.unkId = requireId(config.unk(), "unk_token");
    }

    /** Loads a diffusers {@code tokenizer/} folder: vocab.json, merges.txt and the optional JSON configs. */
    public static ClipTokenizer load(Path tokenizerDir) {
        if (!Files.isDirectory(tokenizerDir)) {
            throw new Ddpo4jException("tokenizer folder not found: " + tokenizerDir);
        }
        TokenizerConfig config = TokenizerConfig.load(tokenizerDir);
        Vocabulary vocab = Vocabulary.load(tokenizerDir.resolve(VOCAB_FILE));
        BpeMerges merges = BpeMerges.load(tokenizerDir.resolve(MERGES_FILE));
        return new ClipTokenizer(tokenizerDir.resolve(VOCAB_FILE), vocab, merges, config);
    }

    /** A tokenizer from in-memory parts (tests, programmatic use). */
    public static ClipTokenizer of(Vocabulary vocab, BpeMerges merges, TokenizerConfig config) {
        return new ClipTokenizer(Path.of("<in-memory vocabulary>"), vocab, merges, config);
    }

    /** The string tokens of {@code text}, no bos/eos added (specials written in the text stay whole). */
    public List<String> tokenize(String text) {
        List<String> tokens = new ArrayList<>();
        for (SpecialTokenSplitter.Piece piece : specialSplitter.split(text)) {
            if (piece.special()) {
                tokens.add(piece.text());
                continue;
            }
            for (String word : ClipWordSplitter.split(normalizer.normalize(piece.text()))) {
                if (CLIP_LITERALS.contains(word)) {
                    tokens.add(word);
                } else {
                    tokens.addAll(bpe.apply(ByteEncoder.encode(word)));
                }
            }
        }
        return tokens;
    }

    /** Ids of {@code text}'s tokens, unpadded and without bos/eos; unknown tokens become the unk id. */
    public int[] tokenIds(String text) {
        return tokenize(text).stream().mapToInt(this::idOf).toArray();
    }

    /**
     * {@code [bos, tokens..., eos, pad...]} of exactly {@link #maxLength()} ids; a long prompt keeps
     * its first maxLength - 2 tokens and still ends with eos ({@code truncation=True}).
     */
    public int[] encode(String text) {
        int[] content = tokenIds(text);
        int n = Math.min(content.length, config.maxLength() - 2);
        int[] ids = new int[config.maxLength()];
        Arrays.fill(ids, padId);
        ids[0] = bosId;
        System.arraycopy(content, 0, ids, 1, n);
        ids[n + 1] = eosId;
        return ids;
    }

    /** {@link #encode} per text, as int64 rows: the shape [texts, maxLength] the text encoder takes. */
    public long[][] encodeBatch(List<String> texts) {
        long[][] out = new long[texts.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = Arrays.stream(encode(texts.get(i))).asLongStream().toArray();
        }
        return out;
    }

    /**
     * Readable text of {@code ids}: special tokens dropped, {@code </w>} read as a space, bytes decoded
     * as UTF-8 with replacement characters (no transformers clean-up of spaces before punctuation).
     */
    public String decode(int[] ids) {
        StringBuilder symbols = new StringBuilder();
        for (int id : ids) {
            String token = vocab.token(id);
            if (token == null) {
                throw new Ddpo4jException("token id " + id + " is not in " + source);
            }
            if (!specialTokens.contains(token)) {
                symbols.append(token);
            }
        }
        byte[] bytes = ByteEncoder.decode(symbols);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("REPLACE decoding cannot fail", e);
        }
        return text.replace(Bpe.END_OF_WORD, " ").strip();
    }

    /** The id of a token string, the unk id if it is not in the vocabulary. */
    public int idOf(String token) {
        int id = vocab.id(token);
        return id >= 0 ? id : unkId;
    }

    public int vocabSize() {
        return vocab.size();
    }

    public int bosId() {
        return bosId;
    }

    public int eosId() {
        return eosId;
    }

    public int padId() {
        return padId;
    }

    public int unkId() {
        return unkId;
    }

    public int maxLength() {
        return config.maxLength();
    }

    public TokenizerConfig config() {
        return config;
    }

    private int requireId(String token, String role) {
        int id = vocab.id(token);
        if (id < 0) {
            throw new Ddpo4jException(role + " '" + token + "' is not in " + source);
        }
        return id;
    }
}
