package ddpo4j.replay;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import ddpo4j.Ddpo4jException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The experiments of a replay, read from a YAML file ({@code configs/replay.yaml} is the bundled
 * one): {@code experiments: [{name, config, set: {key: value}, findings: [{id, claim, measure, set,
 * direction}]}]}; {@code config} is a train config file beside the plan. Unknown fields are an error,
 * so a typo does not silently drop a setting.
 */
public record ReplayPlan(List<Experiment> experiments) {
    private static final ObjectMapper YAML = JsonMapper.builder(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .build();

    public ReplayPlan {
        experiments = List.copyOf(experiments);
        Map<String, Experiment> seen = new LinkedHashMap<>();
        for (Experiment e : experiments) {
            if (seen.put(e.name(), e) != null) {
                throw new IllegalArgumentException("experiment " + e.name() + " is listed twice");
            }
        }
    }

    public static ReplayPlan read(Path file) {
        try {
            ReplayPlan plan = YAML.readValue(file.toFile(), ReplayPlan.class);
            if (plan == null || plan.experiments().isEmpty()) {
                throw new Ddpo4jException(file + ": no experiments");
            }
            Path dir = file.toAbsolutePath().getParent();
            List<Experiment> resolved = new ArrayList<>();
            for (Experiment e : plan.experiments()) {
                Path config = dir.resolve(e.config());
                if (!Files.isRegularFile(config)) {
                    throw new Ddpo4jException("replay plan " + file + ", experiment " + e.name() + ": config " + config
                            + " not found");
                }
                resolved.add(new Experiment(e.name(), config.toString(), e.set(), e.findings()));
            }
            return new ReplayPlan(resolved);
        } catch (IOException | IllegalArgumentException e) {
            throw new Ddpo4jException("cannot read the replay plan " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The experiments named in {@code only} (comma-separated experiment names or finding ids), or all
     * of them when {@code only} is null or blank.
     */
    public ReplayPlan only(String only) {
        if (only == null || only.isBlank()) {
            return this;
        }
        List<Experiment> kept = new ArrayList<>();
        List<String> wanted = List.of(only.split(","));
        for (Experiment e : experiments) {
            boolean named = wanted.stream().map(String::strip).anyMatch(w -> w.equals(e.name())
                    || e.findings().stream().anyMatch(f -> f.id().equals(w)));
            if (named) {
                kept.add(e);
            }
        }
        if (kept.isEmpty()) {
            throw new Ddpo4jException("--only " + only + " names no experiment or finding; experiments: "
                    + experiments.stream().map(Experiment::name).toList());
        }
        return new ReplayPlan(kept);
    }
}
