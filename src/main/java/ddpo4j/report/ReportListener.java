package ddpo4j.report;

import ddpo4j.rl.TrainingListener;
import java.nio.file.Path;
import java.util.Map;

/**
 * Rewrites the run dir's report.html after every epoch and after the final evaluation (the trainer
 * calls these on rank 0 only). Used by the CLI and by Spark's rank 0.
 */
public final class ReportListener implements TrainingListener {
    private final Path runDir;

    public ReportListener(Path runDir) {
        this.runDir = runDir;
    }

    @Override
    public void epochEnd(Map<String, Object> metrics) {
        HtmlReport.write(runDir);
    }

    @Override
    public void finalEvaluation(Map<String, Object> results) {
        HtmlReport.write(runDir); // the report's curves and grid end with the final policy
    }
}
