package ddpo4j.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report's "before and after": each fixed-seed evaluation image of the first evaluated epoch
 * beside the same prompt and noise at the last one, with the reward (and what the reward saw, such
 * as the detected count) under each; pairs whose reward rose come first, then unchanged, then
 * those that got worse, so a reader sees what training fixed and what it broke.
 */
final class BeforeAfter {
    /** Rewards closer than this count as unchanged (binary rewards move by whole units). */
    private static final double SAME = 1e-9;

    record Pair(SampleGrid.Row beforeRow, SampleGrid.Entry before, SampleGrid.Row afterRow, SampleGrid.Entry after) {
        double delta() {
            return after.reward() - before.reward();
        }
    }

    private final SampleGrid.Row first;
    private final SampleGrid.Row last;
    private final List<Pair> pairs;

    private BeforeAfter(SampleGrid.Row first, SampleGrid.Row last, List<Pair> pairs) {
        this.first = first;
        this.last = last;
        this.pairs = pairs;
    }

    /** The first and last rows of a grid read from eval.json; empty with fewer than two such rows. */
    static BeforeAfter of(SampleGrid grid) {
        List<SampleGrid.Row> rows = grid.rows();
        if (!grid.fromEval() || rows.size() < 2) {
            return new BeforeAfter(null, null, List.of());
        }
        SampleGrid.Row first = rows.get(0);
        SampleGrid.Row last = rows.get(rows.size() - 1);
        Map<String, SampleGrid.Entry> after = new LinkedHashMap<>();
        last.entries().forEach(e -> after.put(e.file(), e));
        List<Pair> pairs = new ArrayList<>();
        for (SampleGrid.Entry b : first.entries()) {
            SampleGrid.Entry a = after.get(b.file());
            if (a != null && b.prompt().equals(a.prompt()) && Double.isFinite(b.reward()) && Double.isFinite(a.reward())) {
                pairs.add(new Pair(first, b, last, a));
            }
        }
        // rose first (largest rise first), then unchanged, then worse (largest fall last); stable otherwise
        pairs.sort(Comparator.comparingInt((Pair p) -> rank(p.delta())).thenComparingDouble(p -> -p.delta()));
        return new BeforeAfter(first, last, pairs);
    }

    private static int rank(double delta) {
        return delta > SAME ? 0 : delta < -SAME ? 2 : 1;
    }

    List<Pair> pairs() {
        return pairs;
    }

    long count(int rank) {
        return pairs.stream().filter(p -> rank(p.delta()) == rank).count();
    }

    /** The section as an HTML fragment; nothing when there is no pair. */
    String html() {
        if (pairs.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        b.append("<section id=\"before-after\">\n<h2>Before and after</h2>\n<p class=\"note\">")
                .append("The same prompts and noise at epoch ").append(first.epoch()).append(" and at epoch ")
                .append(last.epoch()).append(": the reward rose for ").append(count(0)).append(", stayed for ")
                .append(count(1)).append(" and fell for ").append(count(2)).append(" of ").append(pairs.size())
                .append(" images (rises first).</p>\n<div class=\"pairs\">\n");
        for (Pair p : pairs) {
            int r = rank(p.delta());
            b.append("<figure class=\"pair ").append(r == 0 ? "rose" : r == 2 ? "fell" : "same").append("\">")
                    .append(SampleGrid.image(p.beforeRow(), p.before()))
                    .append(SampleGrid.image(p.afterRow(), p.after()))
                    .append("<figcaption>").append(Html.esc(p.before().prompt()))
                    .append("<br>").append(Html.esc(Html.num(p.before().reward()))).append(" → ")
                    .append(Html.esc(Html.num(p.after().reward())));
            if (!p.before().detail().isEmpty() || !p.after().detail().isEmpty()) {
                b.append("<br><span class=\"detail\">").append(Html.esc(p.before().detail())).append(" → ")
                        .append(Html.esc(p.after().detail())).append("</span>");
            }
            b.append("</figcaption></figure>\n");
        }
        return b.append("</div>\n</section>\n").toString();
    }
}
