package ddpo4j.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import ddpo4j.Ddpo4jException;
import ddpo4j.io.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a run dir's {@code report.html}: one self-contained file (inline CSS and SVG charts,
 * images as data URLs, no script, no network) with the run's header and timings, reward curves
 * with standard-error bands for the training samples and each evaluation set, the PPO diagnostics,
 * the fixed-seed sample grid, the per-epoch timings and the config. Safe on partial runs.
 */
public final class HtmlReport {
    /** The report's file name inside a run dir. */
    public static final String FILE_NAME = "report.html";

    private static final String[] EVAL_COLORS = {"#d95f02", "#1b9e77", "#7570b3", "#e7298a", "#66a61e", "#a6761d"};
    private static final String TRAIN_COLOR = "#1f5fa8";
    private static final int WIDE = 1120;
    private static final int NARROW = 550;
    private static final int TALL = 340;
    private static final int SHORT = 260;

    private HtmlReport() {}

    /** (Re)writes {@code runDir/report.html} atomically and returns its path. */
    public static Path write(Path runDir) {
        if (!Files.isDirectory(runDir)) {
            throw new Ddpo4jException("run dir " + runDir + " does not exist");
        }
        Path out = runDir.resolve(FILE_NAME);
        AtomicFile.write(out, render(runDir).getBytes(StandardCharsets.UTF_8));
        return out;
    }

    /** The report of {@code runDir} as an HTML string. */
    public static String render(Path runDir) {
        MetricsLog log = MetricsLog.read(runDir.resolve("metrics.jsonl"));
        FinalEval fin = FinalEval.read(runDir, log);
        String configText = readConfig(runDir.resolve("config.yaml"));
        Map<String, Object> config = parseConfig(configText);
        String name = str(config.get("run_name"));
        if (name.isEmpty()) {
            Path fn = runDir.toAbsolutePath().normalize().getFileName();
            name = fn == null ? "run" : fn.toString();
        }
        StringBuilder b = new StringBuilder(1 << 16);
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>ddpo4j report: ").append(Html.esc(name)).append("</title>\n<style>\n").append(CSS)
                .append("</style>\n</head>\n<body>\n");
        header(b, name, config, log, fin);
        b.append("<section id=\"rewards\">\n<h2>Reward</h2>\n");
        chart(b, "chart-reward", rewardSeries(log, fin), "reward", WIDE, TALL,
                "Mean reward per epoch; bands are ± one standard error (training samples: reward_std / √num_samples;"
                        + " evaluation sets: reward_stderr). An evaluation at epoch e scores the policy entering epoch e"
                        + (fin.present() ? "; the last, at " + fin.epoch() + ", the final policy." : "."));
        b.append("</section>\n");
        b.append(PairedEvaluation.of(runDir.resolve("samples")).html());
        b.append("<section id=\"diagnostics\">\n<h2>Policy-gradient diagnostics</h2>\n<div class=\"charts\">\n");
        chart(b, "chart-approx_kl", one(log, "approx_kl"), "approx_kl", NARROW, SHORT,
                "approx_kl: ½·mean((log p − log p_old)²) over the training steps of the epoch.");
        chart(b, "chart-clipfrac", one(log, "clipfrac"), "clipfrac", NARROW, SHORT,
                "clipfrac: fraction of importance ratios outside 1 ± clip_range.");
        chart(b, "chart-ratio_at_start", one(log, "ratio_at_start"), "ratio_at_start", NARROW, SHORT,
                "ratio_at_start: mean importance ratio before the first update of each epoch (on-policy self-test: ≈ 1).");
        chart(b, "chart-loss", one(log, "loss"), "loss", NARROW, SHORT, "loss: mean policy loss over the epoch.");
        chart(b, "chart-grad_norm", one(log, "grad_norm"), "grad_norm", NARROW, SHORT,
                "grad_norm: mean gradient norm before clipping, over the optimizer steps.");
        chart(b, "chart-seconds", timingSeries(log), "seconds", NARROW, SHORT,
                "Seconds per epoch spent sampling, waiting for the reward after sampling, and training.");
        b.append("</div>\n</section>\n");
        guards(b, log);
        SampleGrid grid = SampleGrid.scan(runDir.resolve("samples"), fin.epoch());
        b.append(BeforeAfter.of(grid).html());
        b.append("<section id=\"samples\">\n<h2>Samples</h2>\n")
                .append(grid.html())
                .append("</section>\n");
        timingsTable(b, log);
        b.append("<section id=\"config\">\n<h2>Config</h2>\n");
        if (configText == null) {
            b.append("<p class=\"nodata\">No config.yaml in the run dir.</p>\n");
        } else {
            b.append("<pre class=\"config\">").append(Html.esc(configText)).append("</pre>\n");
        }
        b.append("</section>\n<footer>Written by ddpo4j (<code>ddpo4j report --run-dir DIR</code> rebuilds it).</footer>\n")
                .append("</body>\n</html>\n");
        return b.toString();
    }

    private static void header(StringBuilder b, String name, Map<String, Object> config, MetricsLog log, FinalEval fin) {
        b.append("<header>\n<h1>").append(Html.esc(name)).append("</h1>\n<table class=\"summary\">\n");
        row(b, "model", orDash(str(config.get("pretrained.model"))));
        row(b, "reward", orDash(str(config.get("reward_fn"))));
        String algo = str(config.get("train.algorithm"));
        String lora = str(config.get("use_lora"));
        if (!algo.isEmpty() || !lora.isEmpty()) {
            row(b, "training", (algo.isEmpty() ? "" : "DDPO-" + algo.toUpperCase(Locale.ROOT))
                    + (lora.isEmpty() ? "" : lora.equals("true") ? ", LoRA rank " + str(config.get("lora_rank")) : ", full UNet"));
        }
        if (log.isEmpty()) {
            row(b, "epochs", "none finished yet");
        } else {
            String planned = str(config.get("num_epochs"));
            row(b, "epochs", log.size() + (planned.isEmpty() ? "" : " of " + planned) + " (epoch " + log.epoch(0) + " to "
                    + log.epoch(log.size() - 1) + "), " + fmt(log.sum("num_samples")) + " samples");
            double sampling = log.sum("seconds_sampling");
            double wait = log.sum("seconds_reward_wait");
            double training = log.sum("seconds_training");
            double total = sampling + wait + training;
            row(b, "time", Html.seconds(total) + ": sampling " + fmt(sampling) + " s, reward wait " + fmt(wait)
                    + " s, training " + fmt(training) + " s");
            row(b, "throughput", total > 0 ? fmt(log.sum("num_samples") / total) + " samples/s" : "—");
            row(b, "peak RSS", Double.isNaN(log.max("peak_rss_mb")) ? "—" : fmt(log.max("peak_rss_mb")) + " MB");
            Series train = Series.of(log, "training samples", TRAIN_COLOR, "reward_mean", "reward_std", true);
            row(b, "reward (training samples)", firstLast(train));
            for (String set : log.evalSets()) {
                Series s = evalSeries(log, set, "", fin);
                row(b, "reward (eval " + set + ")", firstLast(s));
            }
        }
        b.append("</table>\n");
        if (log.skippedLines() > 0) {
            b.append("<p class=\"note\">").append(log.skippedLines()).append(" line(s) of metrics.jsonl were not JSON objects and are left out.</p>\n");
        }
        b.append("</header>\n");
    }

    private static String firstLast(Series s) {
        if (s.size() == 0) {
            return "—";
        }
        int n = s.size() - 1;
        String first = "epoch " + (long) s.x()[0] + ": " + Html.num(s.y()[0]) + " ± " + Html.num(s.err()[0]);
        return n == 0 ? first : first + " → epoch " + (long) s.x()[n] + ": " + Html.num(s.y()[n]) + " ± " + Html.num(s.err()[n]);
    }

    private static void row(StringBuilder b, String key, String value) {
        b.append("<tr><th>").append(Html.esc(key)).append("</th><td>").append(Html.esc(value)).append("</td></tr>\n");
    }

    private static List<Series> rewardSeries(MetricsLog log, FinalEval fin) {
        List<Series> out = new ArrayList<>();
        out.add(Series.of(log, "training samples", TRAIN_COLOR, "reward_mean", "reward_std", true));
        List<String> sets = log.evalSets();
        for (int i = 0; i < sets.size(); i++) {
            out.add(evalSeries(log, sets.get(i), EVAL_COLORS[i % EVAL_COLORS.length], fin));
        }
        return out;
    }

    private static Series evalSeries(MetricsLog log, String set, String color, FinalEval fin) {
        String p = MetricsLog.EVAL_PREFIX + set;
        return fin.extend(Series.of(log, "eval " + set, color, p + MetricsLog.EVAL_MEAN, p + MetricsLog.EVAL_STDERR), set);
    }

    /** Over-optimization guards, each chart only when its metrics were logged. */
    private static void guards(StringBuilder b, MetricsLog log) {
        boolean kl = log.hasAny("kl_to_base");
        boolean monitor = log.hasAny("monitor.mean");
        boolean image = log.hasAny("image.brightness");
        if (!kl && !monitor && !image) {
            return;
        }
        b.append("<section id=\"guards\">\n<h2>Guards</h2>\n<div class=\"charts\">\n");
        if (kl) {
            chart(b, "chart-kl_to_base", one(log, "kl_to_base"), "kl_to_base", NARROW, SHORT,
                    "kl_to_base: KL of the updated policy's steps to the base model's (epoch's first minibatch).");
        }
        if (monitor) {
            chart(b, "chart-monitor", List.of(Series.of(log, "monitor mean", TRAIN_COLOR, "monitor.mean", null)),
                    "monitor", NARROW, SHORT, "monitor.mean: the monitor reward (never trained on) on the training"
                            + " samples; a proxy being gamed rises while this stalls.");
            chart(b, "chart-monitor_correlation", one(log, "monitor.correlation"), "correlation", NARROW, SHORT,
                    "monitor.correlation: Pearson r of training reward and monitor reward over the epoch's samples.");
        }
        if (image) {
            chart(b, "chart-image", List.of(Series.of(log, "brightness", TRAIN_COLOR, "image.brightness", null),
                    Series.of(log, "edge density", EVAL_COLORS[0], "image.edge_density", null)), "fraction", NARROW,
                    SHORT, "Image statistics no reward asks for: mean luma and the fraction of edge pixels.");
            chart(b, "chart-color_entropy", one(log, "image.color_entropy"), "bits", NARROW, SHORT,
                    "image.color_entropy: entropy of the images' colours (4 levels per channel), in bits.");
        }
        b.append("</div>\n</section>\n");
    }

    private static List<Series> one(MetricsLog log, String key) {
        return List.of(Series.of(log, key, TRAIN_COLOR, key, null));
    }

    private static List<Series> timingSeries(MetricsLog log) {
        return List.of(Series.of(log, "sampling", TRAIN_COLOR, "seconds_sampling", null),
                Series.of(log, "reward wait", EVAL_COLORS[0], "seconds_reward_wait", null),
                Series.of(log, "training", EVAL_COLORS[1], "seconds_training", null));
    }

    private static void chart(StringBuilder b, String id, List<Series> series, String yLabel, int w, int h, String caption) {
        LineChart c = new LineChart(id, yLabel, w, h, series);
        b.append("<figure class=\"chart-box").append(w == WIDE ? " wide" : "").append("\">\n");
        if (c.hasData()) {
            b.append(c.svg()).append('\n');
        } else {
            b.append("<p class=\"nodata\">No ").append(Html.esc(yLabel)).append(" values in metrics.jsonl yet.</p>\n");
        }
        int bad = series.stream().mapToInt(Series::nonFinite).sum();
        b.append("<figcaption>").append(Html.esc(caption));
        if (bad > 0) {
            b.append(" <span class=\"warn\">").append(bad).append(" non-finite value(s) (NaN/∞) not drawn.</span>");
        }
        b.append("</figcaption>\n</figure>\n");
    }

    private static void timingsTable(StringBuilder b, MetricsLog log) {
        b.append("<section id=\"timings\">\n<h2>Per-epoch timings</h2>\n");
        if (log.isEmpty()) {
            b.append("<p class=\"nodata\">No epochs in metrics.jsonl yet.</p>\n</section>\n");
            return;
        }
        String[][] cols = {{"num_samples", "samples"}, {"seconds_sampling", "sampling s"},
            {"seconds_reward_wait", "reward wait s"}, {"seconds_training", "training s"}, {"samples_per_s", "samples/s"},
            {"peak_rss_mb", "peak RSS MB"}};
        b.append("<div class=\"table-wrap\"><table class=\"timings\">\n<thead><tr><th>epoch</th><th>reward ± s.e.</th>");
        for (String[] c : cols) {
            b.append("<th>").append(Html.esc(c[1])).append("</th>");
        }
        b.append("</tr></thead>\n<tbody>\n");
        for (int i = 0; i < log.size(); i++) {
            b.append("<tr><td>").append(log.epoch(i)).append("</td><td>");
            double mean = log.value(i, "reward_mean");
            double se = log.value(i, "reward_std") / Math.sqrt(log.value(i, "num_samples"));
            b.append(log.has(i, "reward_mean") ? Html.esc(Html.num(mean) + (Double.isNaN(se) ? "" : " ± " + Html.num(se))) : "—");
            b.append("</td>");
            for (String[] c : cols) {
                b.append("<td>").append(log.has(i, c[0]) ? Html.esc(Html.num(log.value(i, c[0]))) : "—").append("</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</tbody></table></div>\n</section>\n");
    }

    private static String readConfig(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            return "(cannot read config.yaml: " + e.getMessage() + ")";
        }
    }

    /** The config as flat dotted keys; empty when absent or not YAML (the report then shows dashes). */
    private static Map<String, Object> parseConfig(String text) {
        Map<String, Object> flat = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return flat;
        }
        try {
            Object root = new ObjectMapper(new YAMLFactory()).readValue(text, Object.class);
            if (root instanceof Map<?, ?> m) {
                MetricsLog.flatten("", m, flat);
            }
        } catch (IOException | RuntimeException e) {
            // The raw text is still shown in the config section.
        }
        return flat;
    }

    private static String str(Object o) {
        return o == null ? "" : o.toString();
    }

    private static String orDash(String s) {
        return s.isEmpty() ? "—" : s;
    }

    private static String fmt(double v) {
        return Html.num(v);
    }

    static final String CSS = """
            :root { color-scheme: light; }
            body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif;
                   margin: 0 auto; padding: 20px 28px 40px; max-width: 1180px; color: #1d232a; background: #fff;
                   font-size: 14px; line-height: 1.45; }
            h1 { font-size: 24px; margin: 0 0 10px; }
            h2 { font-size: 18px; margin: 28px 0 8px; padding-bottom: 4px; border-bottom: 1px solid #dde2e8; }
            table.summary { border-collapse: collapse; }
            table.summary th { text-align: left; font-weight: 600; padding: 2px 16px 2px 0; color: #4a5561;
                               vertical-align: top; white-space: nowrap; }
            table.summary td { padding: 2px 0; }
            .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(540px, 1fr)); gap: 12px 20px; }
            figure.chart-box { margin: 0; }
            svg.chart { display: block; max-width: 100%; height: auto; background: #fff; }
            svg.chart .grid { stroke: #e6e9ee; stroke-width: 1; }
            svg.chart .axis { stroke: #6b7480; stroke-width: 1; }
            svg.chart .tick { font-size: 12px; fill: #4a5561; }
            svg.chart .axis-title { font-size: 12.5px; fill: #1d232a; font-weight: 600; }
            svg.chart .legend-text { font-size: 12.5px; fill: #1d232a; }
            svg.chart .line { stroke-width: 2; stroke-linejoin: round; stroke-linecap: round; }
            svg.chart .band { fill-opacity: 0.18; stroke: none; }
            svg.chart circle:hover { stroke: #000; stroke-width: 1.5; }
            figcaption { font-size: 12.5px; color: #4a5561; margin: 2px 0 0 6px; }
            .warn { color: #b3261e; font-weight: 600; }
            .note { color: #4a5561; font-size: 13px; margin: 4px 0 8px; }
            .nodata { color: #6b7480; font-style: italic; padding: 16px 0; }
            .grid-wrap, .table-wrap { overflow-x: auto; }
            .table-wrap { max-height: 420px; overflow-y: auto; border: 1px solid #e6e9ee; }
            table.samples { border-collapse: collapse; }
            table.samples th.prompt { font-weight: 600; font-size: 12.5px; vertical-align: bottom; max-width: 140px;
                                      padding: 0 4px 6px; overflow-wrap: anywhere; }
            table.samples th.corner { font-size: 12px; color: #6b7480; vertical-align: bottom; padding: 0 8px 6px 0; }
            table.samples th[scope=row] { font-weight: 600; text-align: right; padding-right: 8px; color: #4a5561; }
            table.samples td { padding: 3px 4px; text-align: center; vertical-align: top; }
            table.samples td.rowmean { vertical-align: middle; font-weight: 600; }
            table.samples img { display: block; margin: 0 auto; image-rendering: pixelated; border: 1px solid #d5dae0; }
            .set { display: block; font-weight: 400; color: #6b7480; font-size: 11.5px; }
            .reward { font-size: 12px; color: #4a5561; font-variant-numeric: tabular-nums; }
            .pairs { display: flex; flex-wrap: wrap; gap: 10px; }
            figure.pair { margin: 0; padding: 4px; border: 2px solid #d5dae0; border-radius: 4px; text-align: center; }
            figure.pair.rose { border-color: #1b9e77; } figure.pair.fell { border-color: #d95f02; }
            figure.pair img { image-rendering: pixelated; margin: 0 1px; }
            figure.pair figcaption { font-size: 11.5px; max-width: 270px; color: #4a5561; }
            figure.pair .detail { color: #6b7480; }
            .missing { width: 64px; height: 64px; margin: 0 auto; color: #6b7480; display: flex; align-items: center;
                       justify-content: center; border: 1px dashed #c9ced4; font-size: 12px; }
            table.timings { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
            table.timings th { position: sticky; top: 0; background: #f4f6f8; text-align: right; padding: 4px 10px;
                               font-weight: 600; border-bottom: 1px solid #dde2e8; }
            table.timings td { text-align: right; padding: 2px 10px; border-bottom: 1px solid #f0f2f4; }
            pre.config { background: #f6f8fa; border: 1px solid #e6e9ee; padding: 10px 14px; overflow-x: auto;
                         font-size: 12.5px; line-height: 1.4; }
            footer { margin-top: 28px; color: #6b7480; font-size: 12px; }
            """;
}
