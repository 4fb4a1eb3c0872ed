package ddpo4j.report;

import ddpo4j.Ddpo4jException;
import ddpo4j.eval.Stats;
import ddpo4j.prompts.PromptSets;
import ddpo4j.rl.RunDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;

/**
 * The report's "evaluation before and after": for each eval set, every sample's reward in the
 * run's first fixed-seed evaluation against the last (same prompts, same noise), so the change is a
 * paired difference with its own standard error, tighter than the two means' errors suggest.
 * Reads the {@code eval_rewards.json} the trainer writes beside each evaluation.
 */
public final class PairedEvaluation {
    private static final String FILE = RunDir.EVAL_REWARDS;

    /**
     * One set: {@code n} paired samples, the two means, and the mean paired difference, each with
     * its standard error; {@code deltaPromptSe} is the difference's standard error with the samples
     * of one prompt taken as one cluster (they share the prompt, so are not independent; NaN when
     * the set's prompt count is unknown).
     */
    record Row(String set, int n, double before, double beforeSe, double after, double afterSe, double delta,
            double deltaSe, double deltaPromptSe) {}

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
        return of(samplesRoot, PairedEvaluation::promptCount);
    }

    /** As {@link #of(Path)}, with each set's prompt count given (0: unknown). */
    static PairedEvaluation of(Path samplesRoot, ToIntFunction<String> promptsOfSet) {
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
        List<Row> rows = new ArrayList<>();
        try {
            Map<String, double[]> before = RunDir.readEvalRewards(first);
            Map<String, double[]> after = RunDir.readEvalRewards(last);
            for (Map.Entry<String, double[]> e : before.entrySet()) {
                double[] a = after.get(e.getKey());
                if (a != null && a.length == e.getValue().length) {
                    rows.add(row(e.getKey(), e.getValue(), a, promptsOfSet.applyAsInt(e.getKey())));
                }
            }
        } catch (Ddpo4jException e) {
            rows.clear(); // a report is safe on partial runs: a half-written file shows as no table
        }
        return new PairedEvaluation(first.getFileName().toString(), last.getFileName().toString(), rows);
    }

    private static PairedEvaluation empty() {
        return new PairedEvaluation("", "", List.of());
    }

    /** The prompt count of a built-in or still-present prompt set, else 0 (unknown). */
    private static int promptCount(String set) {
        try {
            return PromptSets.resolve(set).size();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /**
     * Pairs where both rewards are finite (a sample whose reward failed drops out of both);
     * {@code prompts} > 0 splits the samples into that many consecutive per-prompt blocks.
     */
    static Row row(String set, double[] before, double[] after, int prompts) {
        List<double[]> pairs = new ArrayList<>();
        double[] diffs = new double[before.length];
        for (int i = 0; i < before.length; i++) {
            diffs[i] = after[i] - before[i]; // NaN where either failed
            if (Double.isFinite(before[i]) && Double.isFinite(after[i])) {
                pairs.add(new double[] {before[i], after[i]});
            }
        }
        double[] b = pairs.stream().mapToDouble(p -> p[0]).toArray();
        double[] a = pairs.stream().mapToDouble(p -> p[1]).toArray();
        double[] d = pairs.stream().mapToDouble(p -> p[1] - p[0]).toArray();
        double promptSe = prompts > 0 && diffs.length % prompts == 0
                ? Stats.clusteredStderr(diffs, diffs.length / prompts) : Double.NaN;
        return new Row(set, d.length, Stats.mean(b), Stats.stderr(b), Stats.mean(a), Stats.stderr(a), Stats.mean(d),
                Stats.stderr(d), promptSe);
    }

    List<Row> rows() {
        return rows;
    }

    /**
     * One line per eval set for the console, e.g. "eval heldout: 0.53 ± 0.04 → 0.59 ± 0.04, paired
     * +0.06 ± 0.03, by prompt ± 0.03 (t 2.4, n 128; epoch_0000 → final)".
     */
    public List<String> lines() {
        return rows.stream().map(r -> String.format(Locale.ROOT, "eval %s: %.4f ± %.4f → %.4f ± %.4f, paired %+.4f ± %.4f"
                + "%s (t %.2f, n %d; %s → %s)", r.set(), r.before(), r.beforeSe(), r.after(), r.afterSe(), r.delta(),
                r.deltaSe(), Double.isNaN(r.deltaPromptSe()) ? "" : String.format(Locale.ROOT, ", by prompt ± %.4f",
                        r.deltaPromptSe()),
                r.deltaSe() > 0 ? r.delta() / r.deltaSe() : Double.NaN, r.n(), beforeDir, afterDir)).toList();
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
                        + " (in standard errors: its t value), and that difference's standard error with each"
                        + " prompt's samples as one cluster (they share the prompt, so are not independent).</p>\n"
                        + "<div class=\"table-wrap\"><table>\n")
                .append("<tr><th>eval set</th><th>n</th><th>before</th><th>after</th><th>after − before</th>"
                        + "<th>t</th><th>± by prompt</th></tr>\n");
        for (Row r : rows) {
            b.append("<tr><td>").append(Html.esc(r.set())).append("</td><td>").append(r.n()).append("</td><td>")
                    .append(pm(r.before(), r.beforeSe())).append("</td><td>").append(pm(r.after(), r.afterSe()))
                    .append("</td><td>").append(pm(r.delta(), r.deltaSe())).append("</td><td>")
                    .append(r.deltaSe() > 0 ? Html.num(r.delta() / r.deltaSe()) : "—").append("</td><td>")
                    .append(Double.isNaN(r.deltaPromptSe()) ? "—" : Html.esc(Html.num(r.deltaPromptSe())))
                    .append("</td></tr>\n");
        }
        return b.append("</table></div>\n</section>\n").toString();
    }

    private static String pm(double mean, double se) {
        return Html.esc(Html.num(mean)) + " ± " + Html.esc(Html.num(se));
    }
}
