package ddpo4j.cli;

import ddpo4j.io.BundledFiles;
import ddpo4j.replay.FindingResult;
import ddpo4j.replay.Replay;
import ddpo4j.replay.ReplayPlan;
import ddpo4j.replay.ReplayTables;
import ddpo4j.report.ReplayPage;
import ddpo4j.report.ReportListener;
import ddpo4j.rl.TrainingListener;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ddpo4j replay}: the paper's findings as training runs and numbers, resumable. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Replay the findings of Black et al. (2023) on the bundled shapes world: one training run per"
                + " experiment and seed, then replay.md, replay.json and replay.html with one row per finding."
                + " Rerun the same command to continue a stopped replay. See docs/replay.md.")
public final class ReplayCommand implements Callable<Integer> {
    static final String DEFAULT_PLAN = "replay.yaml";

    @Option(names = "--only", description = "comma-separated experiments or finding ids (a-g) to run")
    String only;

    @Option(names = "--seeds", defaultValue = "2", description = "seeds per experiment (default: ${DEFAULT-VALUE})")
    int seeds;

    @Option(names = "--out", defaultValue = "runs/replay", description = "output folder (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--plan", description = "a replay plan other than the bundled configs/replay.yaml")
    Path plan;

    @Override
    public Integer call() {
        ReplayPlan p = ReplayPlan.read(plan != null ? plan : BundledFiles.config(DEFAULT_PLAN)).only(only);
        List<FindingResult> rows = Replay.run(p, out, seeds, (dir, cfg) -> {
            System.out.println("replay: run " + dir);
            return TrainingListener.all(new ReportListener(dir), new TrainCommand.ConsoleListener(cfg.getInt("num_epochs")));
        }, done -> {
            ReplayTables.write(out, done, seeds);
            ReplayPage.write(out, done, seeds);
        });
        System.out.print(ReplayTables.markdownOf(rows, seeds));
        System.out.println("replay: " + out.resolve(ReplayPage.FILE_NAME));
        return 0;
    }
}
