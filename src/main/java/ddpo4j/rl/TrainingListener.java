package ddpo4j.rl;

import java.util.Map;

/** Progress callbacks for user interfaces (progress bars, summary lines); all optional. */
public interface TrainingListener {
    default void samplingProgress(int epoch, int done, int total) {}

    default void trainingProgress(int epoch, int done, int total) {}

    default void epochEnd(Map<String, Object> metrics) {}

    default void message(String text) {}
}
