package ddpo4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ddpo4j.Ddpo4jException;
import ddpo4j.io.ImageFiles;
import ddpo4j.rewards.Reward;
import ddpo4j.rewards.RewardBatch;
import ddpo4j.rewards.ScoredBatch;
import ddpo4j.rewards.registry.Rewards;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ddpo4j score}: scores image files with a reward spec, one JSON line per image, to try a reward before training. */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Score images with a reward spec; prints one JSON object per image (file, prompt, score, info).")
public final class ScoreCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--reward", required = true, description = "reward spec, e.g. jpeg_compressibility or http:url=...")
    String reward;

    @Option(names = "--images", required = true, arity = "1..*", description = "image files (PNG, JPEG…)")
    List<Path> images;

    @Option(names = "--prompt", description = "prompt: once for all images, or once per image")
    List<String> prompts = new ArrayList<>();

    @Option(names = "--metadata", description = "JSON file: one object for all images, or a list of one object per image")
    Path metadata;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        int n = images.size();
        List<String> promptOf = perImage(prompts, n, "--prompt", "");
        List<Map<String, Object>> metaOf = readMetadata(n);
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] hw = new int[2];
            float[] chw = ImageFiles.readChw(images.get(i), hw);
            samples.add(new Sample(i, chw, hw[0], hw[1]));
        }
        ScoredBatch[] outcomes = new ScoredBatch[n];
        int[] row = new int[n];
        try (Reward r = Rewards.create(reward)) {
            // One batch per image size (a batch holds images of one size), printed in the order given.
            Map<String, List<Sample>> bySize = new LinkedHashMap<>();
            samples.forEach(s -> bySize.computeIfAbsent(s.height + "x" + s.width, k -> new ArrayList<>()).add(s));
            for (List<Sample> group : bySize.values()) {
                RewardBatch batch = new RewardBatch(group.stream().map(s -> s.chw).toList(), group.get(0).height,
                        group.get(0).width, group.stream().map(s -> promptOf.get(s.index)).toList(),
                        group.stream().map(s -> metaOf.get(s.index)).toList());
                ScoredBatch outcome = r.scoreSamples(batch).join();
                for (int j = 0; j < group.size(); j++) {
                    outcomes[group.get(j).index] = outcome;
                    row[group.get(j).index] = j;
                }
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        int failed = 0;
        for (int i = 0; i < n; i++) {
            ScoredBatch b = outcomes[i];
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("file", images.get(i).toString());
            line.put("prompt", promptOf.get(i));
            line.put("score", b.ok(row[i]) ? b.score(row[i]) : null);
            line.put("info", b.info(row[i]));
            if (!b.ok(row[i])) {
                line.put("error", b.error(row[i]).getMessage());
                failed++;
            }
            out.println(JSON.writeValueAsString(line));
        }
        out.flush();
        if (failed > 0) {
            spec.commandLine().getErr().println("error: " + failed + " of " + n + " images could not be scored");
            return 1;
        }
        return 0;
    }

    private record Sample(int index, float[] chw, int height, int width) {}

    private List<Map<String, Object>> readMetadata(int n) {
        if (metadata == null) {
            return Collections.nCopies(n, Map.of());
        }
        JsonNode root;
        try {
            root = JSON.readTree(metadata.toFile());
        } catch (IOException e) {
            throw new Ddpo4jException("--metadata " + metadata + ": not readable JSON: " + e.getMessage(), e);
        }
        List<JsonNode> entries = new ArrayList<>();
        if (root != null && root.isArray()) {
            root.forEach(entries::add);
        } else {
            entries.add(root);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (JsonNode e : entries) {
            if (e == null || !e.isObject()) {
                throw new Ddpo4jException("--metadata " + metadata + ": expected a JSON object or a list of objects");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> m = JSON.convertValue(e, Map.class);
            out.add(m);
        }
        return perImage(out, n, "--metadata " + metadata, Map.of());
    }

    /** {@code given} expanded to one entry per image: none (→ fallback), one for all, or exactly one each. */
    private static <T> List<T> perImage(List<T> given, int n, String what, T fallback) {
        if (given.isEmpty()) {
            return Collections.nCopies(n, fallback);
        }
        if (given.size() == 1) {
            return Collections.nCopies(n, given.get(0));
        }
        if (given.size() != n) {
            throw new Ddpo4jException(what + " gives " + given.size() + " entries for " + n
                    + " images: give one for all images or one per image");
        }
        return given;
    }
}
