package ddpo4j.replay;

import ddpo4j.rl.TrainConfig;
import ddpo4j.rl.TrainingListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * Runs a replay plan: each experiment's training runs (seeds 0..seeds-1, each resumable), then
 * measures its findings. After every experiment the table so far is handed to {@code written}, so
 * a replay stopped part way leaves the rows it has.
 */
public final class Replay {
    private Replay() {}

    /**
     * @param listeners the training listener of a run folder (progress bars, report)
     * @param written receives the rows so far after each experiment
     */
    public static List<FindingResult> run(ReplayPlan plan, Path out, int seeds,
            BiFunction<Path, TrainConfig, TrainingListener> listeners, Consumer<List<FindingResult>> written) {
        if (seeds < 1) {
            throw new IllegalArgumentException("--seeds must be at least 1, got " + seeds);
        }
        List<FindingResult> rows = new ArrayList<>();
        for (Experiment e : plan.experiments()) {
            List<Path> runs = new ArrayList<>();
            for (long seed = 0; seed < seeds; seed++) {
                runs.add(SeedRun.run(out, e, seed, listeners));
            }
            for (Finding f : e.findings()) {
                rows.add(measure(f, e, runs));
            }
            written.accept(List.copyOf(rows));
        }
        return rows;
    }

    static FindingResult measure(Finding f, Experiment e, List<Path> runs) {
        return switch (f.measure()) {
            case PAIRED -> PairedChange.measure(f, e, runs);
            case OVEROPTIMIZATION -> OverOptimization.measure(f, e, runs);
            case PROXY_GAP -> TrainingWindows.measure(f, e, runs).withGrid(JudgedImages.of(runs.get(0)));
            case MONITOR -> TrainingWindows.measure(f, e, runs);
        };
    }
}
