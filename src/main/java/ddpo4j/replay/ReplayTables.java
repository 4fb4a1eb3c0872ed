package ddpo4j.replay;

import ddpo4j.io.AtomicFile;
import ddpo4j.io.JsonFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The replay's table as {@code replay.json} (every number) and {@code replay.md} (the README's table). */
public final class ReplayTables {
    public static final String JSON = "replay.json";
    public static final String MARKDOWN = "replay.md";

    private ReplayTables() {}

    public static void write(Path out, List<FindingResult> rows, int seeds) {
        JsonFile.write(out.resolve(JSON), json(rows, seeds));
        AtomicFile.write(out.resolve(MARKDOWN), markdownOf(rows, seeds).getBytes(StandardCharsets.UTF_8));
    }

    static Map<String, Object> json(List<FindingResult> rows, int seeds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seeds", seeds);
        m.put("wall_seconds", wallSeconds(rows));
        List<Map<String, Object>> out = new ArrayList<>();
        for (FindingResult r : rows) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", r.finding().id());
            row.put("claim", r.finding().claim());
            row.put("experiment", r.experiment());
            row.put("measure", r.finding().measure().name().toLowerCase(Locale.ROOT));
            row.put("set", r.finding().set());
            row.put("direction", r.finding().direction());
            row.put("reward", r.reward());
            row.put("before", r.before());
            row.put("before_stderr", r.beforeSe());
            row.put("after", r.after());
            row.put("after_stderr", r.afterSe());
            row.put("change", r.change());
            row.put("change_stderr", r.changeSe());
            row.put("n", r.n());
            row.put("change_per_seed", r.perSeed());
            row.put("wall_seconds", r.wallSeconds());
            row.put("verdict", r.verdict());
            row.put("detail", r.detail());
            if (!r.grid().isEmpty()) {
                List<Map<String, Object>> grid = new ArrayList<>();
                for (JudgedImage g : r.grid()) {
                    Map<String, Object> cell = new LinkedHashMap<>();
                    cell.put("prompt", g.prompt());
                    cell.put("before", verdicts(g.before()));
                    cell.put("after", verdicts(g.after()));
                    grid.add(cell);
                }
                row.put("grid", grid);
            }
            out.add(row);
        }
        m.put("findings", out);
        return m;
    }

    private static Map<String, Object> verdicts(JudgedImage.Verdicts v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("image", v.png().toString());
        m.put("proxy", v.proxy());
        m.put("proxy_says", v.proxySays());
        m.put("gold", v.gold());
        m.put("gold_says", v.goldSays());
        return m;
    }

    /** Training and evaluation time of all runs (findings of one experiment share its runs: counted once). */
    public static double wallSeconds(List<FindingResult> rows) {
        Map<String, Double> byExperiment = new LinkedHashMap<>();
        rows.forEach(r -> byExperiment.put(r.experiment(), r.wallSeconds()));
        return byExperiment.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** One row per finding; wall time is the experiment's (findings of one experiment share its runs). */
    public static String markdownOf(List<FindingResult> rows, int seeds) {
        StringBuilder s = new StringBuilder();
        s.append("| finding | claim | reward (eval set) | before | after | change ± SE | n | seeds | wall | verdict |\n");
        s.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (FindingResult r : rows) {
            s.append(String.format(Locale.ROOT, "| (%s) | %s | %s (%s) | %.4f ± %.4f | %.4f ± %.4f | %+.4f ± %.4f | %d | %d |"
                    + " %.1f min | **%s** |%n", r.finding().id(), r.finding().claim(), r.reward(), r.finding().set(),
                    r.before(), r.beforeSe(), r.after(), r.afterSe(), r.change(), r.changeSe(), r.n(), seeds,
                    r.wallSeconds() / 60, r.verdict()));
        }
        s.append('\n');
        for (FindingResult r : rows) {
            s.append("- (").append(r.finding().id()).append(") ").append(r.detail()).append('\n');
        }
        return s.toString();
    }
}
