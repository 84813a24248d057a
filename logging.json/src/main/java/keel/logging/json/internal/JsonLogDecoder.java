package keel.logging.json.internal;

import java.util.Arrays;

import keel.engine.api.logging.LogEntry;

/**
 * Reads one json-file line back into a {@link LogEntry}, with the result Go's encoding/json gives Docker (escapes
 * decoded, invalid UTF-8 and unpaired surrogates turned into U+FFFD, keys matched case-insensitively, unknown keys
 * and {@code attrs} skipped).
 * <p>
 * Lines are read by the million, so there is no JSON library here: the fast path expects exactly the shape the
 * writer produces ({@code {"log":"...","stream":"stdout",["attrs":{...},]"time":"..."}}), copies a message
 * without escapes in one go and decodes one with escapes in a second pass; anything else (other key orders,
 * whitespace, other streams, a foreign writer) falls back to a small general parser of one JSON object. Not thread-safe: one decoder per reader.
 */
public final class JsonLogDecoder {

    private static final byte[] LOG = bytes("{\"log\":\"");
    private static final byte[] STREAM = bytes(",\"stream\":\"");
    private static final byte[] ATTRS = bytes(",\"attrs\":");
    private static final byte[] TIME = bytes(",\"time\":\"");
    private static final byte[] STDOUT = bytes("stdout\"");
    private static final byte[] STDERR = bytes("stderr\"");
    private static final byte[] EMPTY = new byte[0];

    /** Scratch space for decoded strings; grows to the longest line seen. */
    private byte[] scratch = new byte[1024];
    /** Output of {@link #string}: the decoded bytes are {@code scratch[0, scratchLength)}. */
    private int scratchLength;

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Decodes {@code b[from, to)} (one line without its newline); returns null for a line that is not an entry. */
    public LogEntry decode(byte[] b, int from, int to) {
        LogEntry e = fast(b, from, to);
        return e != null ? e : general(b, from, to);
    }

    private LogEntry fast(byte[] b, int from, int to) {
        if (!startsWith(b, from, to, LOG)) {
            return null;
        }
        int start = from + LOG.length;
        int i = start;
        boolean ascii = true;
        boolean escaped = false;
        while (i < to) {
            byte c = b[i];
            if (c == '"') {
                break;
            }
            if (c == '\\') {
                escaped = true;
                break;
            }
            if (c >= 0 && c < 0x20) {
                return null; // a raw control byte, which Go refuses: the general path decides
            }
            if (c < 0) {
                ascii = false;
            }
            i++;
        }
        byte[] line;
        if (escaped || !ascii && i < to && !Utf8.isValid(b, start, i)) {
            i = string(b, start, to); // decode escapes (and replace invalid UTF-8) from the start of the message
            if (i < 0) {
                return null;
            }
            line = Arrays.copyOf(scratch, scratchLength);
        } else {
            if (i >= to) {
                return null;
            }
            line = Arrays.copyOfRange(b, start, i);
            i++;
        }
        if (!startsWith(b, i, to, STREAM)) {
            return null;
        }
        i += STREAM.length;
        String stream;
        if (startsWith(b, i, to, STDOUT)) {
            stream = "stdout";
            i += STDOUT.length;
        } else if (startsWith(b, i, to, STDERR)) {
            stream = "stderr";
            i += STDERR.length;
        } else {
            return null;
        }
        if (startsWith(b, i, to, ATTRS)) {
            i = skipValue(b, i + ATTRS.length, to);
            if (i < 0) {
                return null;
            }
        }
        if (!startsWith(b, i, to, TIME)) {
            return null;
        }
        i += TIME.length;
        int timeStart = i;
        while (i < to && b[i] != '"') {
            i++;
        }
        if (i + 2 != to || b[i + 1] != '}') {
            return null;
        }
        long time = Rfc3339NanoTime.parse(b, timeStart, i);
        if (time == Rfc3339NanoTime.INVALID) {
            return null;
        }
        return new LogEntry(stream, time, line);
    }

    private static boolean startsWith(byte[] b, int at, int to, byte[] prefix) {
        if (to - at < prefix.length) {
            return false;
        }
        for (int k = 0; k < prefix.length; k++) {
            if (b[at + k] != prefix[k]) {
                return false;
            }
        }
        return true;
    }

    // ---- general path: one JSON object, any key order and whitespace ----

    private LogEntry general(byte[] b, int from, int to) {
        int i = skipSpace(b, from, to);
        if (i >= to || b[i] != '{') {
            return null;
        }
        byte[] log = EMPTY;
        String stream = "";
        long time = Long.MIN_VALUE; // Go's zero time: no "time" key
        i = skipSpace(b, i + 1, to);
        if (i < to && b[i] == '}') {
            i++;
        } else {
            while (true) {
                if (i >= to || b[i] != '"' || (i = string(b, i + 1, to)) < 0) {
                    return null;
                }
                String key = keyOf();
                i = skipSpace(b, i, to);
                if (i >= to || b[i] != ':') {
                    return null;
                }
                i = skipSpace(b, i + 1, to);
                if (i >= to) {
                    return null;
                }
                boolean isNull = startsWith(b, i, to, NULL);
                // encoding/json matches struct fields case-insensitively; null leaves a field as it was.
                if (key != null && !isNull && b[i] == '"') {
                    if ((i = string(b, i + 1, to)) < 0) {
                        return null;
                    }
                    switch (key) {
                        case "log" -> log = Arrays.copyOf(scratch, scratchLength);
                        case "stream" -> stream = new String(scratch, 0, scratchLength,
                                java.nio.charset.StandardCharsets.UTF_8);
                        default -> {
                            time = Rfc3339NanoTime.parse(scratch, 0, scratchLength);
                            if (time == Rfc3339NanoTime.INVALID) {
                                return null;
                            }
                        }
                    }
                } else if (key != null && !isNull) {
                    return null; // a number or an object where Docker has a string: json.Decode fails too
                } else if ((i = skipValue(b, i, to)) < 0) {
                    return null;
                }
                i = skipSpace(b, i, to);
                if (i < to && b[i] == ',') {
                    i = skipSpace(b, i + 1, to);
                    continue;
                }
                if (i < to && b[i] == '}') {
                    i++;
                    break;
                }
                return null;
            }
        }
        return skipSpace(b, i, to) == to ? new LogEntry(stream, time, log) : null;
    }

    private static final byte[] NULL = bytes("null");

    /** The field the last decoded key names (log, stream or time, ignoring case), or null for any other key. */
    private String keyOf() {
        if (scratchLength == 3 && eqIgnoreCase("log")) {
            return "log";
        }
        if (scratchLength == 6 && eqIgnoreCase("stream")) {
            return "stream";
        }
        if (scratchLength == 4 && eqIgnoreCase("time")) {
            return "time";
        }
        return null;
    }

    private boolean eqIgnoreCase(String ascii) {
        for (int k = 0; k < ascii.length(); k++) {
            if ((scratch[k] | 0x20) != ascii.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static int skipSpace(byte[] b, int i, int to) {
        while (i < to && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n')) {
            i++;
        }
        return i;
    }

    /**
     * Decodes the string whose content starts at {@code b[i]} (after the opening quote) into the scratch buffer,
     * the way Go's encoding/json unquotes; returns the index after the closing quote, or -1.
     */
    private int string(byte[] b, int i, int to) {
        if (scratch.length < 3 * (to - i)) { // an invalid byte becomes U+FFFD (3 bytes); escapes shrink
            scratch = new byte[Math.max(3 * (to - i), scratch.length * 2)];
        }
        byte[] out = scratch;
        int w = 0;
        while (i < to) {
            int c = b[i];
            if (c == '"') {
                scratchLength = w;
                return i + 1;
            }
            if (c == '\\') {
                if (i + 1 >= to) {
                    return -1;
                }
                byte e = b[i + 1];
                switch (e) {
                    case '"', '\\', '/', '\'' -> out[w++] = e;
                    case 'b' -> out[w++] = '\b';
                    case 'f' -> out[w++] = '\f';
                    case 'n' -> out[w++] = '\n';
                    case 'r' -> out[w++] = '\r';
                    case 't' -> out[w++] = '\t';
                    case 'u' -> {
                        int r = hex4(b, i + 2, to);
                        if (r < 0) {
                            return -1;
                        }
                        i += 6;
                        if (r >= 0xd800 && r < 0xe000) {
                            // A high surrogate followed by an escaped low one is one code point; anything else
                            // is U+FFFD, and the next escape is read on its own (Go's utf16.DecodeRune rule).
                            int r2 = i + 1 < to && b[i] == '\\' && b[i + 1] == 'u' ? hex4(b, i + 2, to) : -1;
                            if (r < 0xdc00 && r2 >= 0xdc00 && r2 < 0xe000) {
                                r = 0x10000 + ((r - 0xd800) << 10) + (r2 - 0xdc00);
                                i += 6;
                            } else {
                                r = 0xfffd;
                            }
                        }
                        w = Utf8.encode(r, out, w);
                        continue;
                    }
                    default -> {
                        return -1;
                    }
                }
                i += 2;
            } else if (c >= 0) {
                out[w++] = (byte) c; // Go refuses raw control bytes; Keel keeps them rather than drop the line
                i++;
            } else {
                int n = Utf8.validSequenceLength(b, i, to);
                if (n == 0) {
                    out[w++] = (byte) 0xef;
                    out[w++] = (byte) 0xbf;
                    out[w++] = (byte) 0xbd;
                    i++;
                } else {
                    System.arraycopy(b, i, out, w, n);
                    w += n;
                    i += n;
                }
            }
        }
        return -1;
    }

    private static int hex4(byte[] b, int i, int to) {
        if (to - i < 4) {
            return -1;
        }
        int v = 0;
        for (int k = i; k < i + 4; k++) {
            int c = b[k];
            int d;
            if (c >= '0' && c <= '9') {
                d = c - '0';
            } else if (c >= 'a' && c <= 'f') {
                d = c - 'a' + 10;
            } else if (c >= 'A' && c <= 'F') {
                d = c - 'A' + 10;
            } else {
                return -1;
            }
            v = v << 4 | d;
        }
        return v;
    }

    /** Skips one JSON value starting at {@code b[i]}; returns the index after it, or -1 if it is not one. */
    private static int skipValue(byte[] b, int i, int to) {
        i = skipSpace(b, i, to);
        if (i >= to) {
            return -1;
        }
        byte c = b[i];
        if (c == '"') {
            return skipString(b, i + 1, to);
        }
        if (c == '{' || c == '[') {
            int depth = 0;
            while (i < to) {
                byte d = b[i];
                if (d == '"') {
                    i = skipString(b, i + 1, to);
                    if (i < 0) {
                        return -1;
                    }
                    continue;
                }
                if (d == '{' || d == '[') {
                    depth++;
                } else if (d == '}' || d == ']') {
                    if (--depth == 0) {
                        return i + 1;
                    }
                }
                i++;
            }
            return -1;
        }
        int start = i;
        while (i < to && (b[i] >= '0' && b[i] <= '9' || b[i] >= 'a' && b[i] <= 'z' || b[i] == '-'
                || b[i] == '+' || b[i] == '.' || b[i] == 'E')) {
            i++; // a number, true, false or null
        }
        return i > start ? i : -1;
    }

    private static int skipString(byte[] b, int i, int to) {
        while (i < to) {
            byte c = b[i];
            if (c == '"') {
                return i + 1;
            }
            i += c == '\\' ? 2 : 1;
        }
        return -1;
    }
}
