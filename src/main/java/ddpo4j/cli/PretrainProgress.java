package ddpo4j.cli;

import ddpo4j.io.WallClock;
import ddpo4j.pretrain.TrainingLog;

/**
 * Pretraining progress on the console: a progress bar per phase on stderr, and a line with the
 * loss and the elapsed time on stdout every 30 seconds and at each phase's end (a log to tail). The
 * elapsed time is the run's {@link WallClock}, saved at every printed line.
 */
final class PretrainProgress implements TrainingLog {
    private final WallClock clock;
    private String phase = "";
    private ProgressBar bar;
    private long lastPrint;

    /** Times this process only. */
    PretrainProgress() {
        this(new WallClock(null));
    }

    PretrainProgress(WallClock clock) {
        this.clock = clock;
    }

    @Override
    public void step(String p, int step, int total, double loss) {
        if (!p.equals(phase)) {
            phase = p;
            bar = new ProgressBar("pretrain " + p, total, System.err);
        }
        bar.update(step);
        long now = System.nanoTime();
        if (now - lastPrint > 30e9 || step == total) {
            lastPrint = now;
            clock.save();
            // a phase without a loss (encoding the dataset) prints none rather than "loss NaN"
            String lossText = Double.isNaN(loss) ? "" : String.format(" loss %.5f", loss);
            System.out.printf("%s step %d/%d%s elapsed %.1f min%n", p, step, total, lossText, minutes());
        }
    }

    /** Minutes of the run so far (earlier processes included when the clock has a folder). */
    double minutes() {
        return clock.minutes();
    }
}
