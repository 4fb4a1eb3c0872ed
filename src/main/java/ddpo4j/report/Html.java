package ddpo4j.report;

import java.util.Locale;

/** Text escaping and number formatting for the report's HTML and SVG. */
final class Html {
    private Html() {}

    /** Escapes text for element content and quoted attribute values. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A value for tables and tooltips: 4 significant digits (whole numbers from 1e4), scientific when tiny or huge, "NaN" kept. */
    static String num(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "∞" : "−∞";
        }
        double a = Math.abs(v);
        if (a >= 1e4 && a < 1e9) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a != 0 && (a < 1e-3 || a >= 1e9)) {
            return sci(v, 3);
        }
        String s = String.format(Locale.ROOT, "%.4g", v);
        if (s.contains("e")) {
            return sci(v, 3);
        }
        return stripZeros(s);
    }

    /** Seconds, with minutes or hours added from two minutes on: {@code 5400 s (1.5 h)}. */
    static String seconds(double s) {
        String base = num(s) + " s";
        if (!(s >= 120)) {
            return base;
        }
        return base + (s < 7200 ? " (" + num(Math.round(s / 6) / 10.0) + " min)" : " (" + num(Math.round(s / 360) / 10.0) + " h)");
    }

    /** Fixed notation with {@code decimals} places. */
    static String fixed(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** Scientific notation with at most {@code decimals} mantissa places, trailing zeros dropped: 7.5e-7. */
    static String sci(double v, int decimals) {
        String s = String.format(Locale.ROOT, "%." + decimals + "e", v);
        int e = s.indexOf('e');
        String mantissa = stripZeros(s.substring(0, e));
        int exp = Integer.parseInt(s.substring(e + 1));
        return mantissa + "e" + exp;
    }

    private static String stripZeros(String s) {
        if (!s.contains(".")) {
            return s;
        }
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
