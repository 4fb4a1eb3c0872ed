package ddpo4j.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A fake run dir as the trainer writes it: config.yaml, metrics.jsonl with training and
 * evaluation fields, and per evaluated epoch fixed-seed eval PNGs (64x64, drawn with Java2D) plus
 * eval.json. The images change with the epoch so a rendered grid visibly differs row to row.
 */
public final class SyntheticRun {
    /** The evaluation prompts; the second one tries to inject markup. */
    public static final List<String> PROMPTS = List.of("three red circles", "two <script>alert(1)</script> squares",
            "one blue triangle");
    /** Background of every fake image: a colour nothing else in the report uses. */
    public static final Color BACKGROUND = new Color(40, 160, 90);
    public static final String TRAIN_SET = "counting-train";
    public static final String HELDOUT_SET = "counting-heldout";

    private SyntheticRun() {}

    /** Epochs 0..epochs-1, evaluated every {@code evalEvery} epochs and at the last one. */
    public static Path create(Path dir, int epochs, int evalEvery) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("config.yaml"), """
                    run_name: synthetic <run> & co
                    seed: 42
                    num_epochs: %d
                    use_lora: true
                    lora_rank: 4
                    pretrained:
                      model: models/shapes-sd
                    reward_fn: count_alignment
                    prompt_fn: list
                    prompt_fn_kwargs:
                      prompts: "three red circles|two <script>alert(1)</script> squares"
                    train:
                      algorithm: is
                      learning_rate: 0.0003
                    """.formatted(epochs), StandardCharsets.UTF_8);
            StringBuilder lines = new StringBuilder();
            for (int e = 0; e < epochs; e++) {
                boolean evaluated = e % evalEvery == 0 || e == epochs - 1;
                lines.append(metricsLine(e, evaluated)).append('\n');
                if (evaluated) {
                    writeEval(dir.resolve("samples").resolve(String.format("epoch_%04d", e)), e, epochs);
                }
            }
            Files.writeString(dir.resolve("metrics.jsonl"), lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** One epoch's metrics line as the trainer writes it (flat dotted eval keys on evaluated epochs). */
    public static String metricsLine(int e, boolean evaluated) {
        double reward = 0.2 + 0.6 * (1 - Math.exp(-e / 6.0));
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "{\"epoch\":%d,\"num_samples\":16,\"reward_mean\":%.6f,\"reward_std\":%.6f,\"loss\":%.6g,"
                        + "\"approx_kl\":%.6g,\"clipfrac\":%.6g,\"ratio_at_start\":%.10f,\"grad_norm\":%.6g,"
                        + "\"optimizer_steps\":4.0,\"seconds_sampling\":%.3f,\"seconds_reward_wait\":%.3f,"
                        + "\"seconds_training\":%.3f,\"samples_per_s\":%.3f,\"peak_rss_mb\":%.1f",
                e, reward, 0.3 - 0.01 * Math.min(e, 10), -0.01 * Math.sin(e), 1e-6 * (1 + e % 3), 0.05 + 0.01 * (e % 4),
                1 + 1e-7 * ((e * 7) % 5 - 2), 0.4 + 0.1 * Math.cos(e), 20.0 + e % 3, 0.2, 35.0 + e % 2, 16 / 56.0,
                2100 + 3.5 * e));
        if (evaluated) {
            b.append(String.format(Locale.ROOT, ",\"eval.%s.reward_mean\":%.6f,\"eval.%s.reward_stderr\":%.6f",
                    TRAIN_SET, reward + 0.02, TRAIN_SET, 0.04));
            b.append(String.format(Locale.ROOT, ",\"eval.%s.reward_mean\":%.6f,\"eval.%s.reward_stderr\":%.6f",
                    HELDOUT_SET, reward - 0.1, HELDOUT_SET, 0.05));
        }
        return b.append('}').toString();
    }

    /**
     * What the trainer writes after the last of {@code epochs} epochs: {@code eval_final.json} (train
     * set 0.95 ± 0.03, held-out 0.85 ± 0.06) and the final policy's images in {@code samples/final/}.
     */
    public static void addFinalEval(Path dir, int epochs) {
        try {
            Files.writeString(dir.resolve("eval_final.json"), String.format(Locale.ROOT,
                    "{\"eval.%s.reward_mean\":0.95,\"eval.%s.reward_stderr\":0.03,\"eval.%s.num_samples\":8,"
                            + "\"eval.%s.reward_mean\":0.85,\"eval.%s.reward_stderr\":0.06,\"eval.%s.num_samples\":4}\n",
                    TRAIN_SET, TRAIN_SET, TRAIN_SET, HELDOUT_SET, HELDOUT_SET, HELDOUT_SET), StandardCharsets.UTF_8);
            writeEval(dir.resolve("samples").resolve("final"), epochs - 1, epochs); // images as fully trained
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeEval(Path epochDir, int epoch, int epochs) throws IOException {
        Files.createDirectories(epochDir);
        List<String> entries = new ArrayList<>();
        for (int k = 0; k < PROMPTS.size(); k++) {
            String file = String.format("eval_%02d.png", k);
            ImageIO.write(image(k, epoch / (double) Math.max(1, epochs - 1)), "png", epochDir.resolve(file).toFile());
            String set = k == 2 ? HELDOUT_SET : TRAIN_SET;
            entries.add(String.format(Locale.ROOT, "{\"file\":\"%s\",\"prompt\":\"%s\",\"reward\":%.3f,\"set\":\"%s\",\"seed\":%d}",
                    file, PROMPTS.get(k), 0.3 + 0.5 * epoch / Math.max(1, epochs - 1) - 0.1 * k, set, 1000 + k));
        }
        Files.writeString(epochDir.resolve("eval.json"), "[" + String.join(",\n", entries) + "]\n", StandardCharsets.UTF_8);
    }

    /** Prompt k's image at training progress t in [0, 1]: shapes that grow more numerous and saturated. */
    static BufferedImage image(int k, double t) {
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(BACKGROUND);
        g.fillRect(0, 0, 64, 64);
        Color c = k == 0 ? Color.RED : k == 1 ? new Color(230, 200, 30) : Color.BLUE;
        int n = 1 + (int) Math.round(t * 2);
        g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), (int) (90 + 165 * t)));
        for (int i = 0; i < n; i++) {
            int x = 6 + i * 19;
            int y = 20 + (i % 2) * 14;
            switch (k) {
                case 0 -> g.fillOval(x, y, 16, 16);
                case 1 -> g.fillRect(x, y, 15, 15);
                default -> g.fillPolygon(new int[] {x, x + 16, x + 8}, new int[] {y + 16, y + 16, y}, 3);
            }
        }
        g.setStroke(new BasicStroke(1));
        g.dispose();
        return img;
    }
}
