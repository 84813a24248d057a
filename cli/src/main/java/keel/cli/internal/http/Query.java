package keel.cli.internal.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Query parameters encoded as Go's url.Values.Encode does (keys sorted, repeated keys kept in order, spaces as
 * '+'), so the daemon sees the same request line from keel as from docker.
 */
public final class Query {

    private final Map<String, List<String>> values = new TreeMap<>();

    public Query set(String key, String value) {
        List<String> l = new ArrayList<>(1);
        l.add(value);
        values.put(key, l);
        return this;
    }

    public Query add(String key, String value) {
        values.computeIfAbsent(key, k -> new ArrayList<>(1)).add(value);
        return this;
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    public String encode() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, List<String>> e : values.entrySet()) {
            for (String v : e.getValue()) {
                if (sb.length() > 0) {
                    sb.append('&');
                }
                sb.append(escape(e.getKey(), true)).append('=').append(escape(v, true));
            }
        }
        return sb.toString();
    }

    private static final String HEX = "0123456789ABCDEF";

    /**
     * Go's url.QueryEscape (query) or url.PathEscape-like escaping of a path: unreserved characters stay, in a path
     * also '/', ':' and the sub-delimiters Go leaves alone, so {@code /images/library/busybox:1.36/json} goes out
     * unchanged.
     */
    public static String escape(String s, boolean query) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~') {
                sb.append((char) c);
            } else if (query && c == ' ') {
                sb.append('+');
            } else if (!query && (c == '/' || c == ':' || c == '@' || c == '&' || c == '=' || c == '+'
                    || c == '$' || c == ',' || c == ';' || c == '!' || c == '\'' || c == '(' || c == ')'
                    || c == '*')) {
                sb.append((char) c);
            } else {
                sb.append('%').append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 0xf));
            }
        }
        return sb.toString();
    }
}
