package ddpo4j.rl;

import java.util.List;
import java.util.Map;

/**
 * What the trainer tells the world as it goes: progress bars, summary lines, the HTML report and
 * guards hang here, so the loop itself has no branch for any of them. Every callback is optional.
 */
public interface TrainingListener {
    default void samplingProgress(int epoch, int done, int total) {}

    default void trainingProgress(int epoch, int done, int total) {}

    /** An epoch ended; its metrics line is already in metrics.jsonl. */
    default void epochEnd(Map<String, Object> metrics) {}

    /** The final policy was evaluated (eval.sets); the results are already in eval_final.json. */
    default void finalEvaluation(Map<String, Object> results) {
        message("final policy: " + results);
    }

    default void message(String text) {}

    /** Something went wrong but the run goes on, e.g. a step skipped for a non-finite loss. */
    default void warning(String text) {
        message("warning: " + text);
    }

    /** One listener that passes every callback to each of {@code listeners}, in order. */
    static TrainingListener all(TrainingListener... listeners) {
        List<TrainingListener> each = List.of(listeners);
        return new TrainingListener() {
            @Override
            public void samplingProgress(int epoch, int done, int total) {
                each.forEach(l -> l.samplingProgress(epoch, done, total));
            }

            @Override
            public void trainingProgress(int epoch, int done, int total) {
                each.forEach(l -> l.trainingProgress(epoch, done, total));
            }

            @Override
            public void epochEnd(Map<String, Object> metrics) {
                each.forEach(l -> l.epochEnd(metrics));
            }

            @Override
            public void finalEvaluation(Map<String, Object> results) {
                each.forEach(l -> l.finalEvaluation(results));
            }

            @Override
            public void message(String text) {
                each.forEach(l -> l.message(text));
            }

            @Override
            public void warning(String text) {
                each.forEach(l -> l.warning(text));
            }
        };
    }
}
