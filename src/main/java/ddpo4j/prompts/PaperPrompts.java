package ddpo4j.prompts;

import ddpo4j.Ddpo4jException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The paper's prompt lists, as ddpo-pytorch's {@code prompts.py} builds them from its assets
 * (shipped under {@code /ddpo4j/prompts/}, see the README there): {@code simple_animals} (45),
 * {@code imagenet_animals} (ImageNet classes 0–397, 398 prompts, each the whole line with synonyms),
 * {@code imagenet_all} (1,000), {@code imagenet_dogs} (151–268, 118) and {@code nouns_activities}
 * ("a cat riding a bike": every noun × activity, 45 × 3 = 135 with the default files).
 */
public final class PaperPrompts {
    private static final String RESOURCES = "/ddpo4j/prompts/";

    private PaperPrompts() {}

    public static List<String> simpleAnimals() {
        return lines("simple_animals.txt");
    }

    public static List<String> imagenetAnimals() {
        return lines("imagenet_classes.txt").subList(0, 398);
    }

    public static List<String> imagenetAll() {
        return lines("imagenet_classes.txt");
    }

    public static List<String> imagenetDogs() {
        return lines("imagenet_classes.txt").subList(151, 269);
    }

    /** "a NOUN ACTIVITY" for every noun (outer) and activity (inner) of the two files. */
    public static List<String> nounsActivities(String nounsFile, String activitiesFile) {
        List<String> out = new ArrayList<>();
        List<String> activities = lines(activitiesFile);
        for (String noun : lines(nounsFile)) {
            for (String activity : activities) {
                out.add(withArticle(noun) + " " + activity);
            }
        }
        return out;
    }

    /**
     * The stripped lines of {@code name}: a file path if it exists, else a bundled list of that name
     * (ddpo-pytorch's {@code _load_lines}). Empty lines are dropped (the bundled lists have none).
     */
    public static List<String> lines(String name) {
        Path p = Path.of(name);
        String text;
        try {
            if (Files.isRegularFile(p)) {
                text = Files.readString(p, StandardCharsets.UTF_8);
            } else {
                try (InputStream in = PaperPrompts.class.getResourceAsStream(RESOURCES + name)) {
                    if (in == null) {
                        throw new Ddpo4jException("prompt list " + name + " is neither a file nor a bundled list"
                                + " (bundled: simple_animals.txt, activities.txt, imagenet_classes.txt)");
                    }
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        } catch (IOException e) {
            throw new Ddpo4jException("cannot read prompt list " + name + ": " + e.getMessage(), e);
        }
        return Arrays.stream(text.split("\n")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * The noun with "a" or "an", as inflect's {@code a()} decides for common nouns: "an" before a
     * vowel sound ("an ant", "an hour"), "a" before a consonant sound ("a unicorn", "a one-eyed cat").
     */
    public static String withArticle(String noun) {
        String w = noun.strip().toLowerCase(Locale.ROOT);
        boolean an;
        if (w.matches("(hour|honest|honou?r|heir).*")) {
            an = true;
        } else if (w.matches("(one|once|uni|use|usu|ura|uro|eu|ewe|u[bcfhjkqrst][aeiou]).*")) {
            an = false;
        } else {
            an = !w.isEmpty() && "aeiou".indexOf(w.charAt(0)) >= 0;
        }
        return (an ? "an " : "a ") + noun.strip();
    }
}
