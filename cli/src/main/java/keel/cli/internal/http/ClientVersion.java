package keel.cli.internal.http;

/** The CLI's own version and the newest API version it speaks. */
public final class ClientVersion {

    /** The project version this CLI was built as. */
    public static final String VERSION = detect();

    /** Docker Engine API version this client is written against (docker 28.2). */
    public static final String API_VERSION = "1.50";

    /** Used when the daemon's ping carries no Api-Version header, as docker's fallbackAPIVersion. */
    public static final String FALLBACK_API_VERSION = "1.24";

    private ClientVersion() {
    }

    /** From the build (a filtered resource): reading the manifest would cost more class loading. */
    private static String detect() {
        try (java.io.InputStream in = ClientVersion.class.getResourceAsStream("/keel/cli/version.properties")) {
            if (in != null) {
                String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
                if (text.startsWith("version=") && !text.contains("${")) {
                    return text.substring("version=".length()).trim();
                }
            }
        } catch (java.io.IOException ignored) {
            // fall through to the default
        }
        return "0.1.0-SNAPSHOT";
    }

    /** Dotted-number comparison as docker's versions.LessThan. */
    public static boolean lessThan(String a, String b) {
        return compare(a, b) < 0;
    }

    public static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int xi = i < x.length ? parse(x[i]) : 0;
            int yi = i < y.length ? parse(y[i]) : 0;
            if (xi != yi) {
                return Integer.compare(xi, yi);
            }
        }
        return 0;
    }

    private static int parse(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
