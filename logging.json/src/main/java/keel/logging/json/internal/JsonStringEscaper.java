package keel.logging.json.internal;

/**
 * Writes bytes as a quoted JSON string the way Docker does. Two dialects exist in a json-file log line:
 * <ul>
 * <li>{@link #JSONLOG}: Docker's hand-written jsonlog marshaller (jsonlogbytes.go) used for {@code log} and
 * {@code stream}: only {@code \n} and {@code \r} get a short escape, every other control byte becomes
 * <code>&#92;u00XX</code> (so a tab is <code>&#92;u0009</code>);</li>
 * <li>{@link #ENCODING_JSON}: Go's encoding/json (json.Marshal, Go 1.22 and later) used for the {@code attrs}
 * object: {@code \b \f \n \r \t} get short escapes.</li>
 * </ul>
 * Both escape {@code < > &} as <code>&#92;u003c &#92;u003e &#92;u0026</code> (HTML-safe), replace every byte that does not start a
 * valid UTF-8 sequence with <code>&#92;ufffd</code> (one per byte, as Go's utf8.DecodeRune reports size 1), and escape
 * U+2028 and U+2029 (JavaScript line separators). DEL (0x7f) stays raw.
 */
public final class JsonStringEscaper {

    public static final JsonStringEscaper JSONLOG = new JsonStringEscaper(false);
    public static final JsonStringEscaper ENCODING_JSON = new JsonStringEscaper(true);

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Per ASCII byte: 0 copy as is, otherwise the letter of a short escape, or 'u' for a six-byte unicode escape. */
    private final byte[] action = new byte[128];

    private JsonStringEscaper(boolean goEncodingJson) {
        for (int b = 0; b < 0x20; b++) {
            action[b] = 'u';
        }
        action['\n'] = 'n';
        action['\r'] = 'r';
        if (goEncodingJson) {
            action['\b'] = 'b';
            action['\f'] = 'f';
            action['\t'] = 't';
        }
        action['"'] = '"';
        action['\\'] = '\\';
        action['<'] = 'u';
        action['>'] = 'u';
        action['&'] = 'u';
    }

    /** The most bytes {@link #appendQuoted} writes for {@code length} input bytes. */
    public static int maxQuotedLength(int length) {
        return 6 * length + 2;
    }

    /**
     * Writes {@code src[from, to)} quoted and escaped at {@code dst[pos]}; {@code dst} must have room for
     * {@link #maxQuotedLength}. Returns the position after the closing quote.
     */
    public int appendQuoted(byte[] src, int from, int to, byte[] dst, int pos) {
        dst[pos++] = '"';
        int i = from;
        while (i < to) {
            int b = src[i];
            if (b >= 0) {
                byte a = action[b];
                if (a == 0) {
                    dst[pos++] = (byte) b;
                } else if (a == 'u') {
                    pos = unicodeEscape(b, dst, pos);
                } else {
                    dst[pos++] = '\\';
                    dst[pos++] = a;
                }
                i++;
                continue;
            }
            int size = Utf8.validSequenceLength(src, i, to);
            if (size == 0) {
                pos = unicodeEscape(0xfffd, dst, pos);
                i++;
            } else if (size == 3 && (src[i] & 0xff) == 0xe2 && (src[i + 1] & 0xff) == 0x80
                    && ((src[i + 2] & 0xff) == 0xa8 || (src[i + 2] & 0xff) == 0xa9)) {
                pos = unicodeEscape(0x2028 + (src[i + 2] & 0xff) - 0xa8, dst, pos);
                i += 3;
            } else {
                System.arraycopy(src, i, dst, pos, size);
                pos += size;
                i += size;
            }
        }
        dst[pos++] = '"';
        return pos;
    }

    private static int unicodeEscape(int c, byte[] dst, int pos) {
        dst[pos++] = '\\';
        dst[pos++] = 'u';
        dst[pos++] = HEX[(c >> 12) & 0xf];
        dst[pos++] = HEX[(c >> 8) & 0xf];
        dst[pos++] = HEX[(c >> 4) & 0xf];
        dst[pos++] = HEX[c & 0xf];
        return pos;
    }
}
