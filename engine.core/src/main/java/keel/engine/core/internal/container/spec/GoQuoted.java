package keel.engine.core.internal.container.spec;

/**
 * A string quoted the way Go's {@code %q} verb quotes it. Docker builds many of its error messages with {@code %q}
 * (for example {@code unknown capability: "CAP_FOO"}), and clients match on that text.
 */
final class GoQuoted {

    private GoQuoted() {}

    static String of(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** Go's {@code %q} of a {@code []string}: {@code ["a" "b"]}. */
    static String ofList(java.util.List<String> list) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
                b.append(' ');
            }
            b.append(of(list.get(i)));
        }
        return b.append(']').toString();
    }
}
