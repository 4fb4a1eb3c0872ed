package ddpo4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders report.html in headless Chromium (Debian package {@code chromium}): a probe script counts
 * the charts with a non-empty box, their drawn polylines and the decoded images, and the
 * screenshot must show the chart colours and the sample images. Skipped where Chromium is absent.
 * The screenshot is kept as {@code target/report-screenshot.png} for a human look.
 */
class HtmlReportChromiumTest {
    /** Debian's launcher; {@code -Dddpo4j.chromium=PATH} points elsewhere (e.g. google-chrome). */
    static final Path CHROMIUM = Path.of(System.getProperty("ddpo4j.chromium", "/usr/bin/chromium"));
    private static final long TIMEOUT_SECONDS = 60;
    private static final int EPOCHS = 10;
    private static final int EVALUATED = 4; // epochs 0, 3, 6, 9
    private static final String PROBE = """
            <script>
            window.addEventListener('load', function () {
              var charts = 0, lines = 0, images = 0;
              document.querySelectorAll('svg.chart').forEach(function (s) {
                var r = s.getBoundingClientRect();
                if (r.width > 0 && r.height > 0) charts++;
              });
              document.querySelectorAll('svg.chart polyline').forEach(function (p) {
                var b = p.getBBox();
                if (b.width > 0 && p.getTotalLength() > 0) lines++;
              });
              document.querySelectorAll('img').forEach(function (i) {
                if (i.complete && i.naturalWidth > 0 && i.getBoundingClientRect().width > 0) images++;
              });
              var out = document.createElement('pre');
              out.id = 'probe';
              out.textContent = 'charts=' + charts + ' lines=' + lines + ' images=' + images + ' of=' + document.images.length;
              document.body.appendChild(out);
            });
            </script>
            """;

    @TempDir
    Path tmp;

    Path run;
    Path report;

    @BeforeEach
    void report() {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM),
                "skipped: " + CHROMIUM + " not found (Debian: apt-get install -y chromium)");
        run = SyntheticRun.create(tmp.resolve("run"), EPOCHS, 3);
        report = HtmlReport.write(run);
    }

    @Test
    @Timeout(value = 3 * TIMEOUT_SECONDS, unit = TimeUnit.SECONDS)
    void chartsAndImagesAreDrawn() throws Exception {
        // The probe goes into a copy: the report itself carries no script.
        String html = Files.readString(report, StandardCharsets.UTF_8);
        Path probe = run.resolve("probe.html");
        Files.writeString(probe, html.replace("</body>", PROBE + "</body>"), StandardCharsets.UTF_8);
        String dom = chromium("--dump-dom", probe.toUri().toString());
        Matcher m = Pattern.compile("charts=(\\d+) lines=(\\d+) images=(\\d+) of=(\\d+)").matcher(dom);
        assertTrue(m.find(), "probe output missing from the dumped DOM:\n" + tail(dom));
        // the grid's rows, and the before-and-after section's first and last evaluation of each prompt
        int images = EVALUATED * SyntheticRun.PROMPTS.size() + 2 * SyntheticRun.PROMPTS.size();
        assertEquals(HtmlReportTest.CHARTS.size(), Integer.parseInt(m.group(1)), "charts with a non-empty box");
        // reward: training + 2 eval sets; 5 single-series diagnostics; 3 timing series.
        assertEquals(3 + 5 + 3, Integer.parseInt(m.group(2)), "polylines drawn");
        assertEquals(images, Integer.parseInt(m.group(4)), "img elements");
        assertEquals(images, Integer.parseInt(m.group(3)), "images decoded and laid out");
    }

    @Test
    @Timeout(value = 3 * TIMEOUT_SECONDS, unit = TimeUnit.SECONDS)
    void screenshotShowsChartsAndSamples() throws Exception {
        Path png = tmp.resolve("screenshot.png");
        chromium("--screenshot=" + png, "--hide-scrollbars", report.toUri().toString());
        assertTrue(Files.isRegularFile(png), "no screenshot written");
        Path kept = Path.of("target", "report-screenshot.png");
        Files.createDirectories(kept.getParent());
        Files.copy(png, kept, StandardCopyOption.REPLACE_EXISTING);
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img);
        assertEquals(1200, img.getWidth());
        // The reward chart sits below the header: its area must hold the training curve's blue and an
        // eval curve's orange, and the page somewhere the sample images' green background.
        int top = Math.min(img.getHeight(), 900);
        long nonWhite = countPixels(img, 0, top, rgb -> (rgb & 0xffffff) != 0xffffff);
        assertTrue(nonWhite > 1200L * top / 50, "chart area nearly blank: " + nonWhite + " non-white pixels");
        assertTrue(countPixels(img, 0, top, near(0x1f5fa8, 40)) > 300, "training reward curve not drawn");
        assertTrue(countPixels(img, 0, top, near(0xd95f02, 40)) > 100, "eval curve not drawn");
        int bg = SyntheticRun.BACKGROUND.getRGB() & 0xffffff;
        long sample = countPixels(img, 0, img.getHeight(), near(bg, 6));
        // 12 images at 2x: 128 x 128 pixels each, mostly background.
        assertTrue(sample > 12L * 128 * 128 / 2, "sample images not drawn: " + sample + " background pixels");
    }

    interface PixelTest {
        boolean test(int rgb);
    }

    private static PixelTest near(int rgb, int tolerance) {
        return p -> Math.abs(((p >> 16) & 255) - ((rgb >> 16) & 255)) <= tolerance
                && Math.abs(((p >> 8) & 255) - ((rgb >> 8) & 255)) <= tolerance
                && Math.abs((p & 255) - (rgb & 255)) <= tolerance;
    }

    private static long countPixels(BufferedImage img, int y0, int y1, PixelTest t) {
        long n = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if (t.test(img.getRGB(x, y))) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Runs headless Chromium with a fresh profile; returns its stdout; kills it (and its children) after 60 s. */
    private String chromium(String... args) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(tmp, "profile");
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--window-size=1200,3000"));
        cmd.addAll(List.of(args));
        Path out = tmp.resolve("chromium.out");
        Path err = tmp.resolve("chromium.err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            fail("chromium did not finish within " + TIMEOUT_SECONDS + " s; stderr:\n" + tail(Files.readString(err)));
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            fail("chromium exited with " + p.exitValue() + "; stderr:\n" + tail(Files.readString(err)));
        }
        return stdout;
    }

    private static String tail(String s) {
        return s.length() <= 2000 ? s : "…" + s.substring(s.length() - 2000);
    }
}
