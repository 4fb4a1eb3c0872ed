package ddpo4j.report;

import ddpo4j.io.AtomicFile;
import ddpo4j.replay.Curve;
import ddpo4j.replay.FindingResult;
import ddpo4j.replay.JudgedImage;
import ddpo4j.replay.ReplayTables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * {@code replay.html}: the replay's table (one row per finding, with its verdict), how each verdict
 * was reached, for findings read along a run the gold and proxy curves of every seed with the
 * guard's alert marked, and links to every run's own report. Self-contained, no script.
 */
public final class ReplayPage {
    public static final String FILE_NAME = "replay.html";
    private static final String[] SEED_COLORS = {"#1f5fa8", "#d95f02", "#1b9e77", "#7570b3"};

    private ReplayPage() {}

    public static Path write(Path out, List<FindingResult> rows, int seeds) {
        Path file = out.resolve(FILE_NAME);
        AtomicFile.write(file, render(out, rows, seeds).getBytes(StandardCharsets.UTF_8));
        return file;
    }

    static String render(Path out, List<FindingResult> rows, int seeds) {
        StringBuilder b = new StringBuilder(1 << 15);
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>ddpo4j replay</title>\n<style>\n").append(HtmlReport.CSS).append("</style>\n</head>\n<body>\n")
                .append("<h1>ddpo4j replay: the findings of Black et al. (2023) on the shapes world</h1>\n")
                .append("<p>").append(seeds).append(" seed(s); training and evaluation time ")
                .append(Html.seconds(ReplayTables.wallSeconds(rows))).append(". Before and after are fixed-seed evaluations"
                        + " of the same prompts and noise; ± is one standard error.</p>\n");
        b.append("<table>\n<tr><th>finding</th><th>claim</th><th>reward (eval set)</th><th>before</th><th>after</th>"
                + "<th>change ± SE</th><th>n</th><th>wall</th><th>verdict</th></tr>\n");
        for (FindingResult r : rows) {
            b.append("<tr><td>(").append(Html.esc(r.finding().id())).append(")</td><td>")
                    .append(Html.esc(r.finding().claim())).append("</td><td>").append(Html.esc(r.reward())).append(" (")
                    .append(Html.esc(r.finding().set())).append(")</td><td>").append(pm(r.before(), r.beforeSe()))
                    .append("</td><td>").append(pm(r.after(), r.afterSe())).append("</td><td>")
                    .append(Html.fixed(r.change(), 4)).append(" ± ").append(Html.fixed(r.changeSe(), 4))
                    .append("</td><td>").append(r.n()).append("</td><td>").append(Html.seconds(r.wallSeconds()))
                    .append("</td><td><b>").append(r.verdict()).append("</b></td></tr>\n");
        }
        b.append("</table>\n");
        for (FindingResult r : rows) {
            b.append("<h2>(").append(Html.esc(r.finding().id())).append(") ").append(Html.esc(r.finding().claim()))
                    .append("</h2>\n<p>").append(Html.esc(r.detail())).append("</p>\n");
            if (!r.grid().isEmpty()) {
                b.append(grid(r.grid()));
            }
            if (!r.curves().isEmpty()) {
                String id = "f-" + r.finding().id() + "-" + r.experiment();
                b.append(chart(id + "-gold", "gold: " + r.reward(), r.curves(), true));
                b.append(chart(id + "-proxy", "proxy (trained reward, batch mean)", r.curves(), false));
            }
            b.append("<p>Runs:");
            for (int s = 0; s < seeds; s++) {
                Path report = out.resolve(r.experiment()).resolve("seed-" + s).resolve(HtmlReport.FILE_NAME);
                if (Files.isRegularFile(report)) {
                    String href = r.experiment() + "/seed-" + s + "/" + HtmlReport.FILE_NAME;
                    b.append(" <a href=\"").append(Html.esc(href)).append("\">seed ").append(s).append("</a>");
                }
            }
            b.append("</p>\n");
        }
        return b.append("</body>\n</html>\n").toString();
    }

    private static String chart(String id, String yLabel, List<Curve> curves, boolean gold) {
        List<Series> series = new ArrayList<>();
        for (int i = 0; i < curves.size(); i++) {
            Curve c = curves.get(i);
            double[] x = new double[c.epochs().length];
            for (int k = 0; k < x.length; k++) {
                x[k] = c.epochs()[k];
            }
            String color = SEED_COLORS[i % SEED_COLORS.length];
            series.add(new Series("seed " + c.seed(), color, x, gold ? c.gold() : c.proxy(),
                    gold ? c.goldSe() : new double[x.length], 0));
            if (gold && c.guardEpoch() >= 0) {
                for (int k = 0; k < x.length; k++) {
                    if (c.epochs()[k] == c.guardEpoch()) {
                        series.add(new Series("guard alert, seed " + c.seed(), "#c00000", new double[] {x[k]},
                                new double[] {c.gold()[k]}, new double[1], 0));
                    }
                }
            }
        }
        LineChart chart = new LineChart(id, yLabel, 1120, 300, series);
        return chart.hasData() ? "<div class=\"chart\">" + chart.svg() + "</div>\n" : "";
    }

    /** Before and after, side by side, each with what the proxy and the gold measure say of it. */
    private static String grid(List<JudgedImage> images) {
        StringBuilder b = new StringBuilder("<p>The first seed's fixed-seed evaluation images, the base model's (before)"
                + " and the fine-tuned model's (after) for the same prompt and noise, rescored from the saved PNGs:"
                + " the proxy's score and answers against the gold measure's.</p>\n<table>\n<tr><th>prompt</th>"
                + "<th>before</th><th>verdicts before</th><th>after</th><th>verdicts after</th></tr>\n");
        for (JudgedImage g : images) {
            b.append("<tr><td>").append(Html.esc(g.prompt())).append("</td>").append(cell(g.before()))
                    .append(cell(g.after())).append("</tr>\n");
        }
        return b.append("</table>\n").toString();
    }

    private static String cell(JudgedImage.Verdicts v) {
        String img;
        try {
            img = "<img src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(v.png()))
                    + "\" width=\"128\" height=\"128\" alt=\"sample\">";
        } catch (IOException e) {
            img = "(" + Html.esc(v.png().toString()) + " unreadable)";
        }
        return "<td>" + img + "</td><td>proxy " + Html.fixed(v.proxy(), 3) + ": " + Html.esc(v.proxySays())
                + "<br>gold " + Html.fixed(v.gold(), 3) + ": " + Html.esc(v.goldSays()) + "</td>";
    }

    private static String pm(double v, double se) {
        return Html.fixed(v, 4) + " ± " + Html.fixed(se, 4);
    }
}
