package ddpo4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative Markdown link in README.md and docs/*.md points to a file that exists, and a
 * {@code #anchor} (in the same page or another .md page) to a heading there, slugged as GitHub does.
 * Links inside code (fenced blocks, `spans`) are not links and are skipped.
 */
class DocLinksTest {
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
    private static final Pattern CODE_SPAN = Pattern.compile("`[^`]*`");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");

    static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> s = Files.list(Path.of("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    /** The page's lines outside fenced code blocks. */
    static List<String> prose(Path page) throws IOException {
        List<String> out = new ArrayList<>();
        boolean fence = false;
        for (String line : Files.readAllLines(page)) {
            if (line.stripLeading().startsWith("```")) {
                fence = !fence;
            } else if (!fence) {
                out.add(line);
            }
        }
        return out;
    }

    /** GitHub's heading anchors: lower case, punctuation but - and _ dropped, spaces as -, repeats numbered. */
    static Set<String> anchors(Path page) throws IOException {
        Set<String> out = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : prose(page)) {
            Matcher m = HEADING.matcher(line);
            if (m.matches()) {
                String slug = slugOf(m.group(1));
                int n = seen.merge(slug, 1, Integer::sum);
                out.add(n == 1 ? slug : slug + "-" + (n - 1));
            }
        }
        return out;
    }

    static String slugOf(String heading) {
        return heading.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }

    @Test
    void slugs() {
        assertEquals("report-ddpo4j-report", slugOf("Report: `ddpo4j report`"));
        assertEquals("reward-count_alignment", slugOf("Reward: `count_alignment`"));
        assertEquals("vlm-the-papers-llava-rewards", slugOf("`vlm`: the paper's LLaVA rewards"));
    }

    @Test
    void relativeLinksResolve() throws IOException {
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path page : pages()) {
            for (String line : prose(page)) {
                Matcher m = LINK.matcher(CODE_SPAN.matcher(line).replaceAll(""));
                while (m.find()) {
                    String target = m.group(1);
                    if (target.matches("(?i)^(https?|mailto|ftp):.*")) {
                        continue;
                    }
                    checked++;
                    int hash = target.indexOf('#');
                    String file = hash < 0 ? target : target.substring(0, hash);
                    Path resolved = file.isEmpty() ? page : page.resolveSibling(file).normalize();
                    if (!Files.exists(resolved)) {
                        broken.add(page + ": " + target + " (no file " + resolved + ")");
                    } else if (hash >= 0 && resolved.toString().endsWith(".md")
                            && !anchors(resolved).contains(target.substring(hash + 1))) {
                        broken.add(page + ": " + target + " (no heading with that anchor in " + resolved + ")");
                    }
                }
            }
        }
        assertTrue(checked > 0, "no relative links found: wrong working directory?");
        assertTrue(broken.isEmpty(), "broken links:\n" + String.join("\n", broken));
    }
}
