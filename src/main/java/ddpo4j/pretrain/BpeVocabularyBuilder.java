package ddpo4j.pretrain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import ddpo4j.io.AtomicFile;
import ddpo4j.text.ByteEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes a CLIP-style byte-level BPE tokenizer ({@code vocab.json}, {@code merges.txt}) learned
 * greedily on a word list until every word is one token, so captions of a small world tokenize
 * to one id per word while unseen text still falls back to bytes. Layout as CLIP's: 256 byte
 * symbols, the same with {@code </w>}, one id per merge, then the two special tokens.
 */
public final class BpeVocabularyBuilder {
    public static final String BOS = "<|startoftext|>";
    public static final String EOS = "<|endoftext|>";

    private BpeVocabularyBuilder() {}

    /** Learns merges on {@code words} (lower-case) and writes the tokenizer files into {@code dir}. */
    public static void write(Path dir, List<String> words) {
        List<String> merges = learn(words);
        Map<String, Integer> vocab = new LinkedHashMap<>();
        List<String> symbols = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            symbols.add(String.valueOf(ByteEncoder.symbol(b)));
        }
        for (String s : symbols) {
            vocab.put(s, vocab.size());
        }
        for (String s : symbols) {
            vocab.put(s + "</w>", vocab.size());
        }
        for (String m : merges) {
            vocab.putIfAbsent(m.replace(" ", ""), vocab.size());
        }
        vocab.put(BOS, vocab.size());
        vocab.put(EOS, vocab.size());
        StringBuilder mergesTxt = new StringBuilder("#version: 0.2\n");
        merges.forEach(m -> mergesTxt.append(m).append('\n'));
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        try {
            Files.createDirectories(dir);
            AtomicFile.write(dir.resolve("vocab.json"), json.writeValueAsBytes(vocab));
            AtomicFile.write(dir.resolve("merges.txt"), mergesTxt.toString().getBytes(StandardCharsets.UTF_8));
            Map<String, Object> cfg = new LinkedHashMap<>();
            cfg.put("model_max_length", 77);
            cfg.put("bos_token", BOS);
            cfg.put("eos_token", EOS);
            cfg.put("pad_token", EOS);
            cfg.put("unk_token", EOS);
            cfg.put("do_lower_case", true);
            cfg.put("tokenizer_class", "CLIPTokenizer");
            AtomicFile.write(dir.resolve("tokenizer_config.json"), json.writeValueAsBytes(cfg));
            Map<String, Object> special = new LinkedHashMap<>();
            special.put("bos_token", BOS);
            special.put("eos_token", EOS);
            special.put("pad_token", EOS);
            special.put("unk_token", EOS);
            AtomicFile.write(dir.resolve("special_tokens_map.json"), json.writeValueAsBytes(special));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Greedy BPE: merge the most frequent adjacent pair (ties: first in sorted order) until words are whole. */
    static List<String> learn(List<String> words) {
        List<List<String>> segs = new ArrayList<>();
        for (String w : new TreeSet<>(words)) {
            List<String> s = new ArrayList<>();
            byte[] bytes = w.toLowerCase().getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < bytes.length; i++) {
                String sym = String.valueOf(ByteEncoder.symbol(bytes[i] & 0xff));
                s.add(i == bytes.length - 1 ? sym + "</w>" : sym);
            }
            segs.add(s);
        }
        List<String> merges = new ArrayList<>();
        while (true) {
            Map<String, Integer> counts = new TreeMap<>();
            for (List<String> s : segs) {
                for (int i = 0; i + 1 < s.size(); i++) {
                    counts.merge(s.get(i) + " " + s.get(i + 1), 1, Integer::sum);
                }
            }
            if (counts.isEmpty()) {
                return merges;
            }
            String best = null;
            int bestCount = 0;
            for (Map.Entry<String, Integer> e : counts.entrySet()) {
                if (e.getValue() > bestCount) {
                    best = e.getKey();
                    bestCount = e.getValue();
                }
            }
            merges.add(best);
            String[] pair = best.split(" ");
            for (List<String> s : segs) {
                for (int i = 0; i + 1 < s.size(); i++) {
                    if (s.get(i).equals(pair[0]) && s.get(i + 1).equals(pair[1])) {
                        s.set(i, pair[0] + pair[1]);
                        s.remove(i + 1);
                    }
                }
            }
        }
    }
}
