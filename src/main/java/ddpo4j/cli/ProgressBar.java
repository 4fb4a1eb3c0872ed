package ddpo4j.cli;

import java.io.PrintStream;

/** A one-line progress bar redrawn in place on a terminal; silent when output is not a terminal. */
public final class ProgressBar {
    private static final int WIDTH = 30;

    private final String label;
    private final int total;
    private final PrintStream out;
    private final boolean enabled;
    private final long start = System.nanoTime();

    public ProgressBar(String label, int total, PrintStream out) {
        this.label = label;
        this.total = total;
        this.out = out;
        this.enabled = System.console() != null;
    }

    public void update(int done) {
        if (!enabled) {
            return;
        }
        int filled = total == 0 ? WIDTH : (int) ((long) WIDTH * done / total);
        double secs = (System.nanoTime() - start) / 1e9;
        String bar = "#".repeat(filled) + "-".repeat(WIDTH - filled);
        out.printf("\r%s [%s] %d/%d %.1fs", label, bar, done, total, secs);
        if (done >= total) {
            out.println();
        }
        out.flush();
    }
}
