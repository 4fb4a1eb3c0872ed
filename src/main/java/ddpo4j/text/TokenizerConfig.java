package ddpo4j.text;

import com.fasterxml.jackson.databind.JsonNode;
import ddpo4j.Ddpo4jException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The settings a diffusers {@code tokenizer/} folder adds to vocab and merges: the maximum length and
 * the four special tokens, from tokenizer_config.json overridden by special_tokens_map.json.
 */
public record TokenizerConfig(int maxLength, String bos, String eos, String pad, String unk) {
    public static final String CONFIG_FILE = "tokenizer_config.json";
    public static final String SPECIAL_TOKENS_FILE = "special_tokens_map.json";

    /**
     * Largest model_max_length accepted: every prompt is padded to it, so it sizes each encoding
     * and the text encoder's input. Diffusion text encoders take 77 (CLIP) to 512 (T5) tokens.
     */
    public static final int MAX_LENGTH_LIMIT = 4096;

    /** CLIPTokenizer's constructor defaults (pad is a "hack to enable padding" upstream). */
    public static TokenizerConfig defaults() {
        return new TokenizerConfig(77, "<|startoftext|>", "<|endoftext|>", "<|endoftext|>", "<|endoftext|>");
    }

    /** Reads the optional JSON files of {@code dir}; absent files and keys keep the defaults. */
    public static TokenizerConfig load(Path dir) {
        TokenizerConfig c = defaults();
        Path config = dir.resolve(CONFIG_FILE);
        if (Files.exists(config)) {
            JsonNode root = object(config);
            c = c.withSpecials(root, config);
            JsonNode max = root.get("model_max_length");
            if (max != null && !max.isNull()) {
                // Some configs store an "unlimited" 1e30 here; a fixed-length encoder cannot honour it.
                if (!max.isIntegralNumber() || !max.canConvertToInt() || max.intValue() < 2
                        || max.intValue() > MAX_LENGTH_LIMIT) {
                    throw new Ddpo4jException(config + ": model_max_length is " + max + ", expected an integer"
                            + " from 2 (room for bos and eos) to " + MAX_LENGTH_LIMIT);
                }
                c = new TokenizerConfig(max.intValue(), c.bos, c.eos, c.pad, c.unk);
            }
        }
        // transformers applies special_tokens_map.json after construction, so it wins.
        Path map = dir.resolve(SPECIAL_TOKENS_FILE);
        if (Files.exists(map)) {
            c = c.withSpecials(object(map), map);
        }
        return c;
    }

    private TokenizerConfig withSpecials(JsonNode root, Path file) {
        return new TokenizerConfig(maxLength,
                special(root, "bos_token", bos, file),
                special(root, "eos_token", eos, file),
                special(root, "pad_token", pad, file),
                special(root, "unk_token", unk, file));
    }

    /** A special token is a string or an AddedToken object {"content": ...}; null keeps the fallback. */
    private static String special(JsonNode root, String key, String fallback, Path file) {
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isObject() && v.path("content").isTextual()) {
            return v.get("content").textValue();
        }
        throw new Ddpo4jException(file + ": " + key + " must be a string or an object with a string"
                + " \"content\", got " + v);
    }

    private static JsonNode object(Path file) {
        JsonNode root = TextFiles.readJson(file);
        if (!root.isObject()) {
            throw new Ddpo4jException(file + " must hold a JSON object");
        }
        return root;
    }
}
