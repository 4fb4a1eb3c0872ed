package ddpo4j.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ddpo4j.Ddpo4jException;
import ddpo4j.io.ImageFiles;
import ddpo4j.rewards.Reward;
import ddpo4j.rewards.RewardBatch;
import ddpo4j.rewards.RewardResult;
import ddpo4j.rewards.registry.Rewards;
import ddpo4j.rl.RunDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The fixed-seed evaluation images a run saved before its first epoch and after its last
 * ({@code samples/*&#47;eval.json}), scored again by the run's proxy ({@code reward_fn}) and its
 * gold ({@code eval.reward}, else {@code guard.monitor_reward}), with their answers: the grid of
 * finding (g). Scores are of the saved 8-bit PNGs, so they can differ from the run's float scores
 * in the last digits.
 */
final class JudgedImages {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JudgedImages() {}

    static List<JudgedImage> of(Path runDir) {
        RunReading run = new RunReading(runDir);
        String proxySpec = run.config().getString("reward_fn");
        String goldSpec = run.config().getString("eval.reward").isBlank()
                ? run.config().getString("guard.monitor_reward") : run.config().getString("eval.reward");
        RunDir dir = new RunDir(runDir);
        Path beforeDir = dir.samplesDir(0);
        Path afterDir = dir.finalSamplesDir();
        if (goldSpec.isBlank() || !Files.isRegularFile(afterDir.resolve("eval.json"))) {
            return List.of();
        }
        try (Reward proxy = Rewards.create(proxySpec); Reward gold = Rewards.create(goldSpec)) {
            List<JudgedImage.Verdicts> before = judge(beforeDir, proxy, gold);
            List<JudgedImage.Verdicts> after = judge(afterDir, proxy, gold);
            List<String> prompts = prompts(afterDir);
            List<JudgedImage> out = new ArrayList<>();
            for (int i = 0; i < Math.min(before.size(), after.size()); i++) {
                out.add(new JudgedImage(prompts.get(i), before.get(i), after.get(i)));
            }
            return out;
        }
    }

    private static List<String> prompts(Path evalDir) {
        List<String> out = new ArrayList<>();
        read(evalDir).forEach(e -> out.add(e.path("prompt").asText()));
        return out;
    }

    private static List<JudgedImage.Verdicts> judge(Path evalDir, Reward proxy, Reward gold) {
        List<float[]> images = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<String> prompts = new ArrayList<>();
        int[] hw = new int[2];
        for (JsonNode e : read(evalDir)) {
            Path png = evalDir.resolve(e.path("file").asText());
            files.add(png);
            images.add(ImageFiles.readChw(png, hw));
            prompts.add(e.path("prompt").asText());
        }
        RewardBatch batch = new RewardBatch(images, hw[0], hw[1], prompts, Collections.nCopies(images.size(), Map.of()));
        RewardResult p = proxy.score(batch).join();
        RewardResult g = gold.score(batch).join();
        List<JudgedImage.Verdicts> out = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            out.add(new JudgedImage.Verdicts(files.get(i), p.scores()[i], says(p.info().get(i)), g.scores()[i],
                    says(g.info().get(i))));
        }
        return out;
    }

    /** A reward's info in a line: question → answer pairs when it has them, else its keys and values. */
    static String says(Map<String, Object> info) {
        if (info.get("questions") instanceof List<?> q && info.get("answers") instanceof List<?> a) {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < Math.min(q.size(), a.size()); i++) {
                parts.add(q.get(i) + " " + a.get(i));
            }
            return String.join("; ", parts);
        }
        return info.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining("; "));
    }

    private static JsonNode read(Path evalDir) {
        Path f = evalDir.resolve("eval.json");
        try {
            JsonNode n = JSON.readTree(f.toFile());
            if (n == null || !n.isArray()) {
                throw new Ddpo4jException(f + " is not a list of images");
            }
            return n;
        } catch (IOException e) {
            throw new Ddpo4jException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }
}
