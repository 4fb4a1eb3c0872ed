package ddpo4j.replay;

import ddpo4j.Ddpo4jException;
import ddpo4j.io.WallClock;
import ddpo4j.rl.RunDir;
import ddpo4j.rl.TrainConfig;
import ddpo4j.rl.Trainer;
import ddpo4j.rl.TrainingListener;
import ddpo4j.rl.TrainingSetup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * One experiment's training run for one seed, in {@code <out>/<experiment>/seed-<k>}: started, or
 * resumed from its newest checkpoint when a killed replay left it unfinished, or skipped when it has
 * its final evaluation; a folder trained with another config than the plan gives is an error, not
 * silently reused. The run's wall time across processes is kept in its {@code wall-seconds}.
 */
final class SeedRun {
    private SeedRun() {}

    static Path dir(Path out, Experiment e, long seed) {
        return out.resolve(e.name()).resolve("seed-" + seed);
    }

    /** Whether the run in {@code dir} has finished (its final evaluation is written last). */
    static boolean finished(Path dir) {
        return Files.isRegularFile(dir.resolve(RunDir.FINAL_EVAL));
    }

    /** The train config of {@code e} for {@code seed}: its file, its overrides, then the seed. */
    static TrainConfig config(Experiment e, long seed) {
        List<String> overrides = new ArrayList<>();
        for (Map.Entry<String, String> kv : e.set().entrySet()) {
            overrides.add(kv.getKey() + "=" + kv.getValue());
        }
        overrides.add("seed=" + seed);
        TrainConfig cfg = TrainConfig.resolve(Path.of(e.config()), overrides);
        if (cfg.getString("eval.sets").isBlank()) {
            throw new Ddpo4jException("replay experiment " + e.name() + ": eval.sets is empty; every finding reads the"
                    + " run's fixed-seed evaluations");
        }
        return cfg;
    }

    /**
     * Runs (or resumes, or skips) the run; returns its folder. {@code listeners} gives the training
     * listener of a run folder (progress, report).
     */
    static Path run(Path out, Experiment e, long seed, BiFunction<Path, TrainConfig, TrainingListener> listeners) {
        Path dir = dir(out, e, seed);
        TrainConfig cfg = config(e, seed);
        boolean resume = Files.isRegularFile(dir.resolve("config.yaml"));
        if (resume && !TrainConfig.resolve(dir.resolve("config.yaml"), List.of()).asMap().equals(cfg.asMap())) {
            throw new Ddpo4jException("replay: " + dir + " was trained with another config than the plan now gives"
                    + " (was the plan or a bundled config edited?); delete that folder to rerun it, or use another --out");
        }
        if (finished(dir)) {
            return dir;
        }
        WallClock clock = new WallClock(dir);
        try (Trainer trainer = TrainingSetup.open(cfg, dir, listeners.apply(dir, cfg))) {
            trainer.train(resume ? trainer.resume() : 0);
        } finally {
            clock.save();
        }
        return dir;
    }
}
