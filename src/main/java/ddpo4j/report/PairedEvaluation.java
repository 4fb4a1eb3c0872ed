package ddpo4j.report;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import ddpo4j.eval.Stats;
import ddpo4j.rl.RunDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The report's "evaluation before and after": for each eval set, every sample's reward in the
 * run's first fixed-seed evaluation against the last (same prompts, same noise), so the change is a
 * paired difference with its own standard error, tighter than the two means' errors suggest.
 * Reads the {@code eval_rewards.json} the trainer writes beside each evaluation.
 */
public final class PairedEvaluation {
    private static final String FILE = RunDir.EVAL_REWARDS;
    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    /** One set: {@code n} paired samples, the two means, and the mean paired difference, each with its standard error. */
    record Row(String set, int n, double before, double beforeSe, double after, double afterSe, double delta,
            double deltaSe) {}

    private final String beforeDir;
    private final String afterDir;
    private final List<Row> rows;

    private PairedEvaluation(String beforeDir, String afterDir, List<Row> rows) {
        this.beforeDir = beforeDir;
        this.afterDir = afterDir;
        this.rows = rows;
    }

    /** The first evaluation under {@code samplesRoot} against {@code final/} (or the last one); empty without two. */
    public static PairedEvaluation of(Path samplesRoot) {
        List<Path> evals = new ArrayList<>();
        if (Files.isDirectory(samplesRoot)) {
            try (Stream<Path> s = Files.list(samplesRoot)) {
                s.filter(d -> d.getFileName().toString().startsWith("epoch_") && Files.isRegularFile(d.resolve(FILE)))
                        .sorted()
                        .forEach(evals::add);
            } catch (IOException e) {
                return empty();
            }
        }
        Path fin = samplesRoot.resolve("final");
        if (Files.isRegularFile(fin.resolve(FILE))) {
            evals.add(fin);
        }
        if (evals.size() < 2) {
            return empty();
        }
        Path first = evals.get(0);
        Path last = evals.get(evals.size() - 1);
        JsonNode before = read(first.resolve(FILE));
        JsonNode after = read(last.resolve(FILE));
        List<Row> rows = new ArrayList<>();
        if (before != null && after != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = before.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode a = after.get(e.getKey());
                if (a != null && a.isArray() && e.getValue().isArray() && a.size() == e.getValue().size()) {
                    rows.add(row(e.getKey(), values(e.getValue()), values(a)));
                }
            }
        }
        return new PairedEvaluation(first.getFileName().toString(), last.getFileName().toString(), rows);
    }

    private static PairedEvaluation empty() {
        return new PairedEvaluation("", "", List.of());
    }

    /** Pairs where both rewards are finite (a sample whose reward failed drops out of both). */
    static Row row(String set, double[] before, double[] after) {
        List<double[]> pairs = new ArrayList<>();
        for (int i = 0; i < before.length; i++) {
            if (Double.isFinite(before[i]) && Double.isFinite(after[i])) {
                pairs.add(new double[] {before[i], after[i]});
            }
        }
        double[] b = pairs.stream().mapToDouble(p -> p[0]).toArray();
        double[] a = pairs.stream().mapToDouble(p -> p[1]).toArray();
        double[] d = pairs.stream().mapToDouble(p -> p[1] - p[0]).toArray();
        return new Row(set, d.length, Stats.mean(b), Stats.stderr(b), Stats.mean(a), Stats.stderr(a), Stats.mean(d),
                Stats.stderr(d));
    }

    List<Row> rows() {
        return rows;
    }

    /** One line per eval set for the console, e.g. "eval heldout: 0.53 ± 0.04 → 0.59 ± 0.04, paired +0.06 ± 0.03 (t 2.4, n 128)". */
    public List<String> lines() {
        return rows.stream().map(r -> String.format(Locale.ROOT, "eval %s: %.4f ± %.4f → %.4f ± %.4f, paired %+.4f ± %.4f"
                + " (t %.2f, n %d; %s → %s)", r.set(), r.before(), r.beforeSe(), r.after(), r.afterSe(), r.delta(),
                r.deltaSe(), r.deltaSe() > 0 ? r.delta() / r.deltaSe() : Double.NaN, r.n(), beforeDir, afterDir)).toList();
    }

    private static double[] values(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble(Double.NaN);
        }
        return out;
    }

    private static JsonNode read(Path f) {
        try {
            return JSON.readTree(f.toFile());
        } catch (IOException e) {
            return null; // a report is safe on partial runs: a half-written file shows as no table
        }
    }

    /** The section as an HTML fragment; nothing without a pair of evaluations. */
    String html() {
        if (rows.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("<section id=\"paired-eval\">\n<h2>Evaluation before and after</h2>\n")
                .append("<p class=\"note\">Every fixed-seed evaluation sample at ").append(Html.esc(beforeDir))
                .append(" against the same prompt and noise at ").append(Html.esc(afterDir))
                .append(": means ± standard error, and the mean paired difference ± its standard error"
                        + " (in standard errors: its t value).</p>\n<div class=\"table-wrap\"><table>\n")
                .append("<tr><th>eval set</th><th>n</th><th>before</th><th>after</th><th>after − before</th>"
                        + "<th>t</th></tr>\n");
        for (Row r : rows) {
            b.append("<tr><td>").append(Html.esc(r.set())).append("</td><td>").append(r.n()).append("</td><td>")
                    .append(pm(r.before(), r.beforeSe())).append("</td><td>").append(pm(r.after(), r.afterSe()))
                    .append("</td><td>").append(pm(r.delta(), r.deltaSe())).append("</td><td>")
                    .append(r.deltaSe() > 0 ? Html.num(r.delta() / r.deltaSe()) : "—").append("</td></tr>\n");
        }
        return b.append("</table></div>\n</section>\n").toString();
    }

    private static String pm(double mean, double se) {
        return Html.esc(Html.num(mean)) + " ± " + Html.esc(Html.num(se));
    }
}
