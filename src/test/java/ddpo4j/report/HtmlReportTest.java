package ddpo4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpo4j.Ddpo4jException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link HtmlReport} on synthetic run dirs: charts, grid, escaping, self-containedness, partial runs. */
class HtmlReportTest {
    static final List<String> CHARTS = List.of("chart-reward", "chart-approx_kl", "chart-clipfrac", "chart-ratio_at_start",
            "chart-loss", "chart-grad_norm", "chart-seconds");
    private static final Pattern POLYLINE = Pattern.compile("<polyline[^>]*data-series=\"([^\"]*)\"[^>]*points=\"([^\"]*)\"");
    private static final Pattern DATA_URL = Pattern.compile("data:image/png;base64,([A-Za-z0-9+/=]+)\"");

    @TempDir
    Path tmp;

    @Test
    void fullRunHasEveryChartCurveAndImage() throws IOException {
        Path run = SyntheticRun.create(tmp.resolve("run"), 10, 3); // evaluated at 0, 3, 6, 9
        Path out = HtmlReport.write(run);
        assertEquals(run.resolve("report.html"), out);
        String html = Files.readString(out, StandardCharsets.UTF_8);

        assertEquals(CHARTS.size(), count(html, "<svg"), "one <svg> per chart");
        for (String id : CHARTS) {
            assertTrue(html.contains("id=\"" + id + "\""), id);
        }
        Map<String, Integer> reward = pointCounts(svg(html, "chart-reward"));
        assertEquals(Map.of("training samples", 10, "eval counting-train", 4, "eval counting-heldout", 4), reward);
        assertEquals(3, count(svg(html, "chart-reward"), "class=\"band\""), "an error band per reward curve");
        for (String key : List.of("approx_kl", "clipfrac", "ratio_at_start", "loss", "grad_norm")) {
            assertEquals(Map.of(key, 10), pointCounts(svg(html, "chart-" + key)), key);
        }
        assertEquals(Map.of("sampling", 10, "reward wait", 10, "training", 10), pointCounts(svg(html, "chart-seconds")));
        // Legend with every reward curve.
        String rewardSvg = svg(html, "chart-reward");
        assertTrue(rewardSvg.contains("class=\"legend\"") && rewardSvg.contains("eval counting-heldout (± s.e.)"));
        // Tick labels on both axes, the ratio axis around 1 in offset form.
        assertTrue(rewardSvg.contains(">epoch</text>"));
        assertTrue(svg(html, "chart-ratio_at_start").matches("(?s).*>1[+\u2212]\\d(\\.\\d+)?e-\\d+</text>.*"),
                "ratio ticks written as 1±delta");

        // The grid: 4 evaluated epochs x 3 prompts, each a decodable 64x64 PNG.
        List<String> images = dataUrls(section(html, "samples"));
        assertEquals(12, images.size());
        // Before and after: each of the 3 prompts at epoch 0 beside epoch 9, every reward rose.
        assertEquals(6, dataUrls(section(html, "before-after")).size());
        assertTrue(section(html, "before-after").contains("the reward rose for 3, stayed for 0 and fell for 0 of 3"));
        for (String b64 : images) {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(b64)));
            assertNotNull(img);
            assertEquals(64, img.getWidth());
        }
        for (int e : new int[] {0, 3, 6, 9}) {
            assertTrue(html.contains("<tr><th scope=\"row\">" + e + "</th>"), "row for epoch " + e);
        }
        assertTrue(html.contains(">three red circles<span class=\"set\">counting-train</span></th>"));
        assertTrue(html.contains(">one blue triangle<span class=\"set\">counting-heldout</span></th>"));

        // Escaping: the prompt's markup, the run name and the config are text, never markup.
        assertFalse(html.contains("<script"), "no script tag at all, the prompt's is escaped");
        assertTrue(html.contains("two &lt;script&gt;alert(1)&lt;/script&gt; squares"));
        assertTrue(html.contains("<h1>synthetic &lt;run&gt; &amp; co</h1>"));
        assertTrue(html.contains("run_name: synthetic &lt;run&gt; &amp; co"));

        // Self-contained: nothing to fetch.
        assertFalse(html.contains("http://"), "no http:// reference");
        assertFalse(html.contains("https://"), "no https:// reference");
        assertFalse(html.matches("(?s).*(src|href)=\"(?!data:)[^\"]*\".*"), "every src/href is a data URL");
        assertFalse(html.contains("url("), "no CSS url()");

        // Header: model, reward, timings summary, peak RSS.
        assertTrue(html.contains("<td>models/shapes-sd</td>"));
        assertTrue(html.contains("<td>count_alignment</td>"));
        assertTrue(html.contains("<td>566 s (9.4 min): sampling 209 s, reward wait 2 s, training 355 s</td>"), "time sums");
        assertTrue(html.contains("<td>2132 MB</td>"), "peak RSS is the maximum");
        // Timings table: one row per epoch.
        assertEquals(10, count(section(html, "timings"), "<tr><td>"));
    }

    @Test
    void theFinalEvaluationEndsTheEvalCurvesAndTheGrid() throws IOException {
        Path run = SyntheticRun.create(tmp.resolve("final"), 10, 3); // evaluated entering 0, 3, 6, 9
        SyntheticRun.addFinalEval(run, 10); // and after the last epoch: "entering" epoch 10
        String html = Files.readString(HtmlReport.write(run));
        assertEquals(Map.of("training samples", 10, "eval counting-train", 5, "eval counting-heldout", 5),
                pointCounts(svg(html, "chart-reward")));
        assertTrue(html.contains("→ epoch 10: 0.95 ± 0.03"), "header: first and final evaluation of the train set");
        assertTrue(html.contains("→ epoch 10: 0.85 ± 0.06"), "header: first and final evaluation of the held-out set");
        assertTrue(html.contains("the last, at 10, the final policy"));
        assertTrue(html.contains("<tr><th scope=\"row\">10</th>"), "the final policy's images are the grid's last row");
        assertEquals(5 * SyntheticRun.PROMPTS.size(), dataUrls(section(html, "samples")).size());
    }

    @Test
    void manyEpochsShowTwelveEvenlySpacedRowsWithFirstAndLast() throws IOException {
        Path run = SyntheticRun.create(tmp.resolve("long"), 40, 1);
        String html = Files.readString(HtmlReport.write(run));
        assertEquals(12 * SyntheticRun.PROMPTS.size(), dataUrls(section(html, "samples")).size());
        assertTrue(html.contains("<tr><th scope=\"row\">0</th>"));
        assertTrue(html.contains("<tr><th scope=\"row\">39</th>"));
        assertTrue(html.contains("Showing 12 of 40 epochs"));
        assertEquals(Map.of("training samples", 40, "eval counting-train", 40, "eval counting-heldout", 40),
                pointCounts(svg(html, "chart-reward")));
    }

    @Test
    void pickKeepsFirstAndLastEvenlySpaced() {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            all.add(i);
        }
        List<Integer> picked = SampleGrid.pick(all, 12);
        assertEquals(12, picked.size());
        assertEquals(0, picked.get(0));
        assertEquals(29, picked.get(11));
        assertEquals(picked.size(), picked.stream().distinct().count());
        assertEquals(all.subList(0, 5), SampleGrid.pick(all.subList(0, 5), 12));
    }

    @Test
    void partialRunWithNaNsMissingFieldsAndATruncatedLine() throws IOException {
        Path run = tmp.resolve("partial");
        Files.createDirectories(run);
        // Jackson writes NaN as a bare token (or as a string); the last line was cut off mid-write.
        Files.writeString(run.resolve("metrics.jsonl"), """
                {"epoch":0,"num_samples":4,"reward_mean":0.5,"reward_std":0.2,"loss":NaN,"approx_kl":"NaN","clipfrac":0.0,"ratio_at_start":1.0,"seconds_sampling":3.5}
                {"epoch":1,"num_samp
                """, StandardCharsets.UTF_8);
        String html = Files.readString(HtmlReport.write(run));
        assertEquals(Map.of("training samples", 1), pointCounts(svg(html, "chart-reward")));
        assertEquals(Map.of("ratio_at_start", 1), pointCounts(svg(html, "chart-ratio_at_start")));
        assertFalse(html.contains("id=\"chart-loss\""), "a chart whose only value is NaN has nothing to draw");
        assertTrue(html.contains("1 non-finite value(s) (NaN/∞) not drawn"));
        assertTrue(html.contains("No grad_norm values in metrics.jsonl yet."));
        assertTrue(html.contains("1 line(s) of metrics.jsonl were not JSON objects"));
        assertTrue(html.contains("No config.yaml in the run dir."));
        assertTrue(html.contains("No sample images in samples/ yet."));
        assertTrue(html.contains("<h1>partial</h1>"), "run name falls back to the folder name");
    }

    @Test
    void guardChartsAppearOnlyForTheGuardMetricsLogged() throws IOException {
        Path run = tmp.resolve("guards");
        Files.createDirectories(run);
        Files.writeString(run.resolve("metrics.jsonl"), """
                {"epoch":0,"num_samples":4,"reward_mean":0.5,"reward_std":0.2,"kl_to_base":0.01,"image.brightness":0.4,"image.edge_density":0.1,"image.color_entropy":2.5}
                {"epoch":1,"num_samples":4,"reward_mean":0.6,"reward_std":0.2,"kl_to_base":0.02,"image.brightness":0.5,"image.edge_density":0.2,"image.color_entropy":2.0}
                """, StandardCharsets.UTF_8);
        String html = HtmlReport.render(run);
        assertEquals(Map.of("kl_to_base", 2), pointCounts(svg(html, "chart-kl_to_base")));
        assertEquals(Map.of("brightness", 2, "edge density", 2), pointCounts(svg(html, "chart-image")));
        assertEquals(Map.of("image.color_entropy", 2), pointCounts(svg(html, "chart-color_entropy")));
        assertFalse(html.contains("chart-monitor"), "no monitor reward, no monitor chart");
        Path plain = SyntheticRun.create(tmp.resolve("plain"), 3, 1);
        assertFalse(HtmlReport.render(plain).contains("id=\"guards\""));
    }

    @Test
    void nestedEvalObjectsReadLikeDottedKeys() throws IOException {
        Path run = tmp.resolve("nested");
        Files.createDirectories(run);
        Files.writeString(run.resolve("metrics.jsonl"), """
                {"epoch":0,"num_samples":4,"reward_mean":0.5,"reward_std":0.2,"eval":{"a":{"reward_mean":0.4,"reward_stderr":0.1}}}
                {"epoch":1,"num_samples":4,"reward_mean":0.6,"reward_std":0.2,"eval":{"a":{"reward_mean":0.5,"reward_stderr":0.1}}}
                """, StandardCharsets.UTF_8);
        String html = HtmlReport.render(run);
        assertEquals(Map.of("training samples", 2, "eval a", 2), pointCounts(svg(html, "chart-reward")));
    }

    @Test
    void emptyRunDirStillGetsAReport() throws IOException {
        Path run = tmp.resolve("fresh");
        Files.createDirectories(run);
        String html = Files.readString(HtmlReport.write(run));
        assertEquals(0, count(html, "<svg"));
        assertTrue(html.contains("none finished yet"));
        assertTrue(html.contains("No epochs in metrics.jsonl yet."));
        assertThrows(Ddpo4jException.class, () -> HtmlReport.write(tmp.resolve("absent")));
    }

    @Test
    void withoutEvalJsonTheEpochsPngsAreShownByFileName() throws IOException {
        Path run = tmp.resolve("plain");
        for (int e = 0; e < 3; e++) {
            Path dir = Files.createDirectories(run.resolve("samples").resolve(String.format("epoch_%04d", e)));
            for (int k = 0; k < 2; k++) {
                ImageIO.write(SyntheticRun.image(k, e / 2.0), "png", dir.resolve(String.format("%02d.png", k)).toFile());
            }
        }
        Files.writeString(run.resolve("metrics.jsonl"), SyntheticRun.metricsLine(0, false) + "\n");
        String html = Files.readString(HtmlReport.write(run));
        assertEquals(6, dataUrls(html).size());
        assertTrue(html.contains("<th scope=\"col\" class=\"prompt\">00.png</th>"));
        assertTrue(html.contains("No eval.json in samples/"));
    }

    @Test
    void rewritingLeavesNoTempFiles() throws IOException {
        Path run = SyntheticRun.create(tmp.resolve("twice"), 2, 1);
        HtmlReport.write(run);
        Files.writeString(run.resolve("metrics.jsonl"), SyntheticRun.metricsLine(2, true) + "\n", java.nio.file.StandardOpenOption.APPEND);
        String html = Files.readString(HtmlReport.write(run));
        assertEquals(Map.of("training samples", 3, "eval counting-train", 3, "eval counting-heldout", 3),
                pointCounts(svg(html, "chart-reward")));
        try (Stream<Path> s = Files.list(run)) {
            assertEquals(List.of(), s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList());
        }
    }

    @Test
    void axisTicksAreNiceAndReadable() {
        AxisTicks t = AxisTicks.of(0.03, 0.97, 5);
        assertEquals(0.0, t.lo, 1e-12);
        assertEquals(1.0, t.hi, 1e-12);
        assertEquals(List.of("0", "0.2", "0.4", "0.6", "0.8", "1"), labelsOf(t));
        AxisTicks ratio = AxisTicks.of(1 - 2e-7, 1 + 2e-7, 4);
        assertTrue(labelsOf(ratio).contains("1"), labelsOf(ratio).toString());
        assertTrue(labelsOf(ratio).contains("1+1e-7"), labelsOf(ratio).toString());
        assertTrue(labelsOf(ratio).contains("1\u22121e-7"), labelsOf(ratio).toString());
        assertEquals(List.of("0", "1e-6", "2e-6", "3e-6"), labelsOf(AxisTicks.of(0, 3e-6, 3)));
        assertEquals(List.of("0", "0.025", "0.05", "0.075", "0.1"), labelsOf(AxisTicks.of(0, 0.1, 4)));
        AxisTicks oneEpoch = AxisTicks.integers(5, 5, 6);
        assertEquals(List.of("5"), labelsOf(oneEpoch));
        AxisTicks flat = AxisTicks.of(1, 1, 4);
        assertTrue(flat.lo < 1 && flat.hi > 1);
    }

    @Test
    void numbersAreShort() {
        assertEquals("0.2827", Html.num(160 / 566.0));
        assertEquals("11339", Html.num(11339.4));
        assertEquals("2.5e-7", Html.num(2.5e-7));
        assertEquals("NaN", Html.num(Double.NaN));
        assertEquals("55.2 s", Html.seconds(55.2));
        assertEquals("11339 s (3.1 h)", Html.seconds(11339.4));
        assertEquals("&lt;a href=&quot;x&quot;&gt; &amp; &#39;", Html.esc("<a href=\"x\"> & '"));
    }

    private static List<String> labelsOf(AxisTicks t) {
        List<String> out = new ArrayList<>();
        for (double v : t.values()) {
            out.add(t.label(v));
        }
        return out;
    }

    /** The {@code <svg>} element with this id. */
    static String svg(String html, String id) {
        int start = html.indexOf("<svg class=\"chart\" id=\"" + id + "\"");
        assertTrue(start >= 0, "no chart " + id);
        return html.substring(start, html.indexOf("</svg>", start) + 6);
    }

    private static String section(String html, String id) {
        int start = html.indexOf("<section id=\"" + id + "\"");
        return html.substring(start, html.indexOf("</section>", start));
    }

    /** Points per polyline, by series label. */
    static Map<String, Integer> pointCounts(String svg) {
        Map<String, Integer> out = new LinkedHashMap<>();
        Matcher m = POLYLINE.matcher(svg);
        while (m.find()) {
            out.put(m.group(1), m.group(2).trim().split("\\s+").length);
        }
        return out;
    }

    static List<String> dataUrls(String html) {
        List<String> out = new ArrayList<>();
        Matcher m = DATA_URL.matcher(html);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
