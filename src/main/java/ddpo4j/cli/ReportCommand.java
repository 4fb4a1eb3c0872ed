package ddpo4j.cli;

import ddpo4j.report.HtmlReport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ddpo4j report}: (re)builds a run dir's self-contained {@code report.html}. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write RUN_DIR/report.html: reward curves, diagnostics, sample grid, timings and config in one offline file.")
public final class ReportCommand implements Callable<Integer> {
    @Option(names = "--run-dir", required = true, description = "the run folder (holds metrics.jsonl, config.yaml, samples/)")
    Path runDir;

    @Override
    public Integer call() {
        System.out.println(HtmlReport.write(runDir));
        return 0;
    }
}
