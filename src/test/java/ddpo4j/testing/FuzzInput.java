package ddpo4j.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts one fuzz input into the several files a target reads. Parts are separated by NUL bytes,
 * which no text file we parse needs, so seed inputs stay easy to write by hand
 * ({@code printf 'a\0b' > seed}).
 */
public final class FuzzInput {
    private FuzzInput() {}

    /**
     * The NUL-separated parts of {@code data}, at most {@code max}: the last part keeps any further
     * NULs. Fewer parts than {@code max} means the later files are absent.
     */
    public static List<byte[]> parts(byte[] data, int max) {
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < data.length && out.size() < max - 1; i++) {
            if (data[i] == 0) {
                out.add(Arrays.copyOfRange(data, start, i));
                start = i + 1;
            }
        }
        out.add(Arrays.copyOfRange(data, start, data.length));
        return out;
    }
}
