package ddpo4j.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md's key table lists exactly the keys {@link TrainConfig#keys()} accepts, in
 * their order, each with its default rendered as the page says: strings as they are (the empty
 * string as {@code ""}), integers and booleans as Java prints them, numbers in (0, 0.01) as
 * {@code 3e-4}, other numbers as Java prints them; every default in backticks.
 */
class ConfigurationDocTest {
    private static final Path PAGE = Path.of("docs/configuration.md");

    /** The cells of each table row that documents a key (a line starting with "| `"), pipes escaped as \| kept. */
    static List<String[]> keyRows() throws IOException {
        List<String[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(PAGE)) {
            if (line.startsWith("| `")) {
                String[] cells = line.substring(1, line.length() - (line.endsWith("|") ? 1 : 0))
                        .split("(?<!\\\\)\\|", -1);
                for (int i = 0; i < cells.length; i++) {
                    cells[i] = cells[i].strip();
                }
                rows.add(cells);
            }
        }
        return rows;
    }

    static String render(Object value) {
        if (value instanceof String s) {
            return s.isEmpty() ? "\"\"" : s;
        }
        if (value instanceof Double d && d != 0 && Math.abs(d) < 0.01) {
            BigDecimal b = new BigDecimal(Double.toString(d)).stripTrailingZeros();
            int exponent = b.precision() - 1 - b.scale();
            return b.scaleByPowerOfTen(-exponent).toPlainString() + "e" + exponent;
        }
        return value.toString();
    }

    @Test
    void renderRule() {
        assertEquals("\"\"", render(""));
        assertEquals("main", render("main"));
        assertEquals("42", render(42L));
        assertEquals("true", render(true));
        assertEquals("4.0", render(4.0));
        assertEquals("0.999", render(0.999));
        assertEquals("0.0", render(0.0));
        assertEquals("3e-4", render(3e-4));
        assertEquals("1e-3", render(1e-3));
        assertEquals("2.5e-8", render(2.5e-8));
    }

    @Test
    void tableListsEveryKeyInOrder() throws IOException {
        List<String[]> rows = keyRows();
        List<String> documented = new ArrayList<>();
        for (String[] cells : rows) {
            assertTrue(cells.length == 3, "a key row has three cells (key, default, meaning): " + String.join(" | ", cells));
            documented.add(unquote(cells[0]));
        }
        List<String> keys = TrainConfig.keys().stream().map(TrainConfig.Key::name).toList();
        assertEquals(keys, documented, PAGE + ": the key column must equal TrainConfig.keys(), in order");
    }

    @Test
    void defaultsMatch() throws IOException {
        List<String[]> rows = keyRows();
        for (int i = 0; i < Math.min(rows.size(), TrainConfig.keys().size()); i++) {
            TrainConfig.Key key = TrainConfig.keys().get(i);
            assertEquals("`" + render(key.defaultValue()) + "`", rows.get(i)[1],
                    PAGE + ": default of " + key.name());
        }
    }

    @Test
    void everyRowHasAMeaning() throws IOException {
        for (String[] cells : keyRows()) {
            assertTrue(cells.length == 3 && !cells[2].isEmpty(), PAGE + ": no meaning for " + cells[0]);
        }
    }

    private static String unquote(String cell) {
        assertTrue(cell.length() > 2 && cell.startsWith("`") && cell.endsWith("`"), "key cell in backticks: " + cell);
        return cell.substring(1, cell.length() - 1);
    }
}
