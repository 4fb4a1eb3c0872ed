package ddpo4j.report;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The image grid: rows are evaluated epochs, columns the fixed-seed evaluation prompts, read from
 * {@code samples/epoch_NNNN/eval.json} (a list of {@code {file, prompt, reward, set?, seed?}}) with
 * the PNGs beside it, embedded as data URLs. Without any eval.json, whatever PNGs the epochs hold
 * are shown by file name. At most {@link #MAX_ROWS} rows, evenly spaced, first and last kept.
 */
final class SampleGrid {
    static final int MAX_ROWS = 12;
    static final String EVAL_FILE = "eval.json";

    private static final Pattern EPOCH_DIR = Pattern.compile("epoch_(\\d+)");
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    /** One image of a row as listed: file name, prompt, reward (NaN if none), set and seed (may be empty). */
    record Entry(String file, String prompt, double reward, String set, String seed, String detail) {
        Entry(String file, String prompt, double reward, String set, String seed) {
            this(file, prompt, reward, set, seed, "");
        }
    }

    /** One epoch's images, in listing order. */
    record Row(int epoch, Path dir, List<Entry> entries) {}

    private final boolean fromEval;
    private final int epochsFound;
    private final List<Row> rows;
    private final List<String> notes = new ArrayList<>();

    private SampleGrid(boolean fromEval, int epochsFound, List<Row> rows, List<String> notes) {
        this.fromEval = fromEval;
        this.epochsFound = epochsFound;
        this.rows = rows;
        this.notes.addAll(notes);
    }

    /**
     * Scans {@code samplesRoot} (a run's {@code samples/}); a missing folder gives an empty grid.
     * With {@code finalEpoch} >= 0, {@code samples/final/} (the final policy's evaluation) is the
     * row of that epoch.
     */
    static SampleGrid scan(Path samplesRoot, int finalEpoch) {
        Map<Integer, Path> dirs = new TreeMap<>();
        if (Files.isDirectory(samplesRoot)) {
            try (Stream<Path> s = Files.list(samplesRoot)) {
                s.filter(Files::isDirectory).forEach(p -> {
                    String name = p.getFileName().toString();
                    Matcher m = EPOCH_DIR.matcher(name);
                    if (m.matches()) {
                        dirs.put(Integer.parseInt(m.group(1)), p);
                    } else if (finalEpoch >= 0 && name.equals(FinalEval.SAMPLES_DIR)) {
                        dirs.putIfAbsent(finalEpoch, p);
                    }
                });
            } catch (IOException e) {
                return new SampleGrid(false, 0, List.of(), List.of("cannot list " + samplesRoot + ": " + e.getMessage()));
            }
        }
        List<String> notes = new ArrayList<>();
        List<Row> eval = new ArrayList<>();
        for (Map.Entry<Integer, Path> d : dirs.entrySet()) {
            Path f = d.getValue().resolve(EVAL_FILE);
            if (Files.isRegularFile(f)) {
                try {
                    eval.add(new Row(d.getKey(), d.getValue(), readEval(f)));
                } catch (IOException | RuntimeException e) {
                    notes.add("epoch " + d.getKey() + ": " + EVAL_FILE + " unreadable (" + e.getMessage() + ")");
                }
            }
        }
        if (!eval.isEmpty()) {
            return new SampleGrid(true, eval.size(), pick(eval, MAX_ROWS), notes);
        }
        List<Row> plain = new ArrayList<>();
        for (Map.Entry<Integer, Path> d : dirs.entrySet()) {
            try (Stream<Path> s = Files.list(d.getValue())) {
                List<Entry> entries = s.map(p -> p.getFileName().toString())
                        .filter(n -> n.toLowerCase(Locale.ROOT).endsWith(".png") && !n.startsWith("."))
                        .sorted()
                        .map(n -> new Entry(n, "", Double.NaN, "", ""))
                        .toList();
                if (!entries.isEmpty()) {
                    plain.add(new Row(d.getKey(), d.getValue(), entries));
                }
            } catch (IOException e) {
                notes.add("cannot list " + d.getValue() + ": " + e.getMessage());
            }
        }
        return new SampleGrid(false, plain.size(), pick(plain, MAX_ROWS), notes);
    }

    private static List<Entry> readEval(Path f) throws IOException {
        JsonNode list = JSON.readTree(f.toFile());
        if (list == null || !list.isArray()) {
            throw new IOException("expected a JSON list of {file, prompt, reward}");
        }
        List<Entry> out = new ArrayList<>();
        for (JsonNode e : list) {
            String file = text(e, "file");
            if (file.isEmpty()) {
                continue;
            }
            JsonNode r = e.get("reward");
            double reward = r == null || r.isNull() ? Double.NaN
                    : r.isNumber() ? r.asDouble() : parseOrNaN(r.asText());
            out.add(new Entry(file, text(e, "prompt"), reward, text(e, "set"), text(e, "seed"), detail(e.get("info"))));
        }
        return out;
    }

    /**
     * What the reward saw, when its info says so: the counts a detector found ({@code detected}) or the
     * answers a judge gave ({@code answers}); empty otherwise.
     */
    static String detail(JsonNode info) {
        if (info == null || !info.isObject()) {
            return "";
        }
        for (String key : new String[] {"detected", "answers"}) {
            JsonNode v = info.get(key);
            if (v != null && !v.isNull()) {
                return key + " " + (v.isValueNode() ? v.asText() : v.toString());
            }
        }
        return "";
    }

    private static String text(JsonNode e, String key) {
        JsonNode v = e.get(key);
        return v == null || v.isNull() ? "" : v.asText();
    }

    private static double parseOrNaN(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** At most {@code max} of {@code all}, evenly spaced, always the first and the last. */
    static <T> List<T> pick(List<T> all, int max) {
        int n = all.size();
        if (n <= max) {
            return all;
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < max; i++) {
            out.add(all.get((int) Math.round(i * (n - 1) / (double) (max - 1))));
        }
        return out;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    List<Row> rows() {
        return rows;
    }

    boolean fromEval() {
        return fromEval;
    }

    /** The grid as an HTML fragment. */
    String html() {
        StringBuilder b = new StringBuilder();
        for (String note : notes) {
            b.append("<p class=\"note\">").append(Html.esc(note)).append("</p>\n");
        }
        if (rows.isEmpty()) {
            return b.append("<p class=\"nodata\">No sample images in samples/ yet.</p>\n").toString();
        }
        if (fromEval) {
            b.append("<p class=\"note\">Fixed-seed evaluation images: the same prompts and noise every evaluated epoch,"
                    + " so a column shows one sample changing as the policy learns. Reward under each image.");
        } else {
            b.append("<p class=\"note\">No ").append(EVAL_FILE).append(" in samples/: showing the first training samples of"
                    + " each epoch by file name (their prompts and noise differ between epochs).");
        }
        if (rows.size() < epochsFound) {
            b.append(" Showing ").append(rows.size()).append(" of ").append(epochsFound).append(" epochs, evenly spaced.");
        }
        b.append("</p>\n");

        // Columns: every file named by a shown row, in order of first appearance; captions from the latest row.
        Map<String, Entry> columns = new LinkedHashMap<>();
        for (Row r : rows) {
            for (Entry e : r.entries()) {
                columns.putIfAbsent(e.file(), e);
            }
        }
        for (Row r : rows) {
            for (Entry e : r.entries()) {
                columns.put(e.file(), e);
            }
        }
        boolean rewards = rows.stream().flatMap(r -> r.entries().stream()).anyMatch(e -> !Double.isNaN(e.reward()));
        b.append("<div class=\"grid-wrap\"><table class=\"samples\">\n<thead><tr><th class=\"corner\">epoch</th>");
        for (Entry c : columns.values()) {
            b.append("<th scope=\"col\" class=\"prompt\">");
            b.append(Html.esc(fromEval && !c.prompt().isEmpty() ? c.prompt() : c.file()));
            if (!c.set().isEmpty()) {
                b.append("<span class=\"set\">").append(Html.esc(c.set())).append("</span>");
            }
            b.append("</th>");
        }
        if (rewards) {
            b.append("<th scope=\"col\" class=\"prompt\">mean reward</th>");
        }
        b.append("</tr></thead>\n<tbody>\n");
        for (Row r : rows) {
            b.append("<tr><th scope=\"row\">").append(r.epoch()).append("</th>");
            Map<String, Entry> byFile = new LinkedHashMap<>();
            r.entries().forEach(e -> byFile.put(e.file(), e));
            double sum = 0;
            int count = 0;
            for (String file : columns.keySet()) {
                Entry e = byFile.get(file);
                b.append("<td>");
                if (e == null) {
                    b.append("<div class=\"missing\">—</div>");
                } else {
                    b.append(image(r, e));
                    if (!Double.isNaN(e.reward())) {
                        b.append("<div class=\"reward\">").append(Html.esc(Html.num(e.reward()))).append("</div>");
                        if (Double.isFinite(e.reward())) {
                            sum += e.reward();
                            count++;
                        }
                    }
                }
                b.append("</td>");
            }
            if (rewards) {
                b.append("<td class=\"rowmean\">").append(count == 0 ? "—" : Html.esc(Html.num(sum / count))).append("</td>");
            }
            b.append("</tr>\n");
        }
        return b.append("</tbody></table></div>\n").toString();
    }

    static String image(Row r, Entry e) {
        // Only the file name counts: eval.json cannot point outside its epoch folder.
        Path name = Path.of(e.file()).getFileName();
        Path file = name == null ? null : r.dir().resolve(name.toString());
        byte[] bytes;
        try {
            bytes = file != null && Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
        } catch (IOException ex) {
            bytes = null;
        }
        if (bytes == null) {
            return "<div class=\"missing\" title=\"" + Html.esc(e.file()) + "\">missing</div>";
        }
        int[] wh = pngSize(bytes);
        if (wh == null) {
            return "<div class=\"missing\" title=\"" + Html.esc(e.file()) + "\">not a PNG</div>";
        }
        // Small images are shown at 2x with crisp pixels; nothing is ever downscaled in the file.
        int scale = Math.max(wh[0], wh[1]) <= 128 ? 2 : 1;
        String tip = "epoch " + r.epoch() + " · " + e.file() + (e.prompt().isEmpty() ? "" : " · " + e.prompt())
                + (e.seed().isEmpty() ? "" : " · seed " + e.seed())
                + (Double.isNaN(e.reward()) ? "" : " · reward " + Html.num(e.reward()));
        return String.format(Locale.ROOT, "<img src=\"data:image/png;base64,%s\" width=\"%d\" height=\"%d\" alt=\"%s\" title=\"%s\">",
                Base64.getEncoder().encodeToString(bytes), wh[0] * scale, wh[1] * scale, Html.esc(e.prompt()), Html.esc(tip));
    }

    /** Width and height from a PNG's IHDR chunk, or null if the bytes are not a PNG. */
    static int[] pngSize(byte[] b) {
        if (b.length < 24) {
            return null;
        }
        for (int i = 0; i < PNG_SIGNATURE.length; i++) {
            if (b[i] != PNG_SIGNATURE[i]) {
                return null;
            }
        }
        int w = ((b[16] & 255) << 24) | ((b[17] & 255) << 16) | ((b[18] & 255) << 8) | (b[19] & 255);
        int h = ((b[20] & 255) << 24) | ((b[21] & 255) << 16) | ((b[22] & 255) << 8) | (b[23] & 255);
        return w > 0 && h > 0 ? new int[] {w, h} : null;
    }
}
