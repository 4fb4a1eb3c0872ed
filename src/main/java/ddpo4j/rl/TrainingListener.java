package ddpo4j.rl;

import java.util.Map;

/** Progress callbacks for user interfaces (progress bars, summary lines); all optional. */
public interface TrainingListener {
    default void samplingProgress(int epoch, int done, int total) {}

    default void trainingProgress(int epoch, int done, int total) {}

    default void epochEnd(Map<String, Object> metrics) {}

    default void message(String text) {}

    /** Something went wrong but the run goes on, e.g. a step skipped for a non-finite loss. */
    default void warning(String text) {
        message("warning: " + text);
    }
}
