package ddpo4j.cli;

import ddpo4j.report.HtmlReport;
import ddpo4j.rl.TrainingListener;
import java.nio.file.Path;
import java.util.Map;

/** Rewrites the run dir's report.html after every epoch and after the final evaluation. */
final class ReportListener implements TrainingListener {
    private final Path runDir;

    ReportListener(Path runDir) {
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
