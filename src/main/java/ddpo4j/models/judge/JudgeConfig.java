package ddpo4j.models.judge;

import ddpo4j.Ddpo4jException;
import ddpo4j.io.ConfigJson;
import ddpo4j.io.ConfigJson.IntRange;
import ddpo4j.world.NamedColor;
import ddpo4j.world.ShapeKind;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The architecture and answer vocabulary of a {@link JudgeNet}, read from the judge folder's
 * {@code config.json}. The vocabulary (colours, kinds, backgrounds, largest count) fixes the heads'
 * sizes, so it lives in the config: a file trained on other colours cannot load silently.
 *
 * @param imageSize side of the square RGB input in pixels
 * @param stemChannels width of the stem, a stride-2 convolution
 * @param blockOutChannels one {@link JudgeEncoderBlock} per entry, each halving the resolution
 * @param normNumGroups group-norm groups (divides every width)
 * @param embeddingDim width of the image embedding every head reads
 * @param colors shape colours the judge knows, in head order
 * @param kinds shape kinds, in head order
 * @param backgrounds background colours, in head order
 * @param maxCount largest count answered; the last count class means "maxCount or more"
 */
public record JudgeConfig(int imageSize, int stemChannels, int[] blockOutChannels, int normNumGroups, int embeddingDim,
        List<NamedColor> colors, List<ShapeKind> kinds, List<NamedColor> backgrounds, int maxCount) {

    /** The shipped judge's architecture: 64 px in, 32 → 16 → 8 px feature maps, a 128-d embedding, counts 0..5. */
    public static final JudgeConfig DEFAULT = new JudgeConfig(64, 32, new int[] {64, 128}, 8, 128,
            List.of(NamedColor.RED, NamedColor.GREEN, NamedColor.BLUE, NamedColor.YELLOW), List.of(ShapeKind.values()),
            List.of(NamedColor.WHITE, NamedColor.BLACK, NamedColor.GRAY, NamedColor.RED, NamedColor.GREEN,
                    NamedColor.BLUE, NamedColor.YELLOW), 5);

    public JudgeConfig {
        blockOutChannels = blockOutChannels.clone();
        colors = List.copyOf(colors);
        kinds = List.copyOf(kinds);
        backgrounds = List.copyOf(backgrounds);
        if (colors.isEmpty() || kinds.isEmpty() || backgrounds.isEmpty() || maxCount < 1) {
            throw new Ddpo4jException("a judge needs colours, kinds, backgrounds and max_count >= 1");
        }
        if (stemChannels % normNumGroups != 0) {
            throw new Ddpo4jException("norm_num_groups " + normNumGroups + " does not divide stem_channels " + stemChannels);
        }
        for (int c : blockOutChannels) {
            if (c % normNumGroups != 0) {
                throw new Ddpo4jException("norm_num_groups " + normNumGroups + " does not divide block width " + c);
            }
        }
        if (imageSize >> (blockOutChannels.length + 1) < 1) {
            throw new Ddpo4jException("image_size " + imageSize + " is too small for " + blockOutChannels.length + " blocks");
        }
    }

    /** Side of the centre map: one cell per 2^(blocks + 1) pixels (8 × 8 cells of 8 px for the shipped judge). */
    public int grid() {
        return imageSize >> (blockOutChannels.length + 1);
    }

    /** Count classes per (colour, kind) question: 0..maxCount. */
    public int countClasses() {
        return maxCount + 1;
    }

    /** Number of (colour, kind) count questions: one head of {@link #countClasses()} logits each. */
    public int pairs() {
        return colors.size() * kinds.size();
    }

    /** Index of the (colour, kind) pair in the count head, or -1 when the judge does not know it. */
    public int pairIndex(NamedColor color, ShapeKind kind) {
        int c = colors.indexOf(color);
        int k = kinds.indexOf(kind);
        return c < 0 || k < 0 ? -1 : c * kinds.size() + k;
    }

    public static JudgeConfig read(Path file) {
        ConfigJson c = ConfigJson.read(file);
        c.requireDefault("model_type", "shapes_judge");
        JudgeConfig cfg = new JudgeConfig(
                c.requiredInt("image_size", IntRange.SIZE),
                c.requiredInt("stem_channels", IntRange.SIZE),
                c.blockOutChannels(),
                c.requiredInt("norm_num_groups", IntRange.SIZE),
                c.requiredInt("embedding_dim", IntRange.SIZE),
                colors(c, "colors"),
                kinds(c),
                colors(c, "backgrounds"),
                c.requiredInt("max_count", new IntRange(1, 20)));
        c.checkNoUnknownKeys();
        return cfg;
    }

    private static List<NamedColor> colors(ConfigJson c, String key) {
        return c.requiredStrings(key).stream().map(w -> NamedColor.fromWord(w)
                .orElseThrow(() -> c.error("\"" + w + "\" in " + key + " is not a colour of the shapes world"))).toList();
    }

    private static List<ShapeKind> kinds(ConfigJson c) {
        return c.requiredStrings("kinds").stream().map(w -> ShapeKind.fromWord(w)
                .orElseThrow(() -> c.error("\"" + w + "\" in kinds is not circle, square or triangle"))).toList();
    }

    /** The config as {@code config.json} holds it. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model_type", "shapes_judge");
        m.put("image_size", imageSize);
        m.put("stem_channels", stemChannels);
        m.put("block_out_channels", Arrays.stream(blockOutChannels).boxed().toList());
        m.put("norm_num_groups", normNumGroups);
        m.put("embedding_dim", embeddingDim);
        m.put("colors", colors.stream().map(NamedColor::word).toList());
        m.put("kinds", kinds.stream().map(ShapeKind::word).toList());
        m.put("backgrounds", backgrounds.stream().map(NamedColor::word).toList());
        m.put("max_count", maxCount);
        return m;
    }
}
