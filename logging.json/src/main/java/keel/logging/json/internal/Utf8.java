package keel.logging.json.internal;

/**
 * UTF-8 validity with Go's rules (unicode/utf8.DecodeRune), which both Docker's writer and Go's JSON decoder
 * apply: no overlong forms, no surrogates (U+D800..U+DFFF), nothing above U+10FFFF, no truncated sequences.
 */
final class Utf8 {

    private Utf8() {}

    /**
     * The length (2 to 4) of the valid multi-byte sequence starting at {@code b[i]} (a byte >= 0x80), or 0 when it
     * is not one: then Go decodes the single byte at {@code i} as U+FFFD.
     */
    static int validSequenceLength(byte[] b, int i, int end) {
        int b0 = b[i] & 0xff;
        if (b0 < 0xc2 || b0 > 0xf4) {
            return 0; // a continuation byte, an overlong 2-byte lead (C0, C1), or beyond U+10FFFF
        }
        if (b0 < 0xe0) {
            return i + 1 < end && isContinuation(b[i + 1]) ? 2 : 0;
        }
        if (i + 1 >= end) {
            return 0;
        }
        int b1 = b[i + 1] & 0xff;
        if (b0 < 0xf0) {
            int lo = b0 == 0xe0 ? 0xa0 : 0x80; // E0 80..9F would be overlong
            int hi = b0 == 0xed ? 0x9f : 0xbf; // ED A0..BF would be a surrogate
            return b1 >= lo && b1 <= hi && i + 2 < end && isContinuation(b[i + 2]) ? 3 : 0;
        }
        int lo = b0 == 0xf0 ? 0x90 : 0x80; // F0 80..8F would be overlong
        int hi = b0 == 0xf4 ? 0x8f : 0xbf; // F4 90.. would be above U+10FFFF
        return b1 >= lo && b1 <= hi && i + 3 < end && isContinuation(b[i + 2]) && isContinuation(b[i + 3]) ? 4 : 0;
    }

    private static boolean isContinuation(byte b) {
        return (b & 0xc0) == 0x80;
    }

    /** Whether {@code b[from, to)} is entirely valid UTF-8. */
    static boolean isValid(byte[] b, int from, int to) {
        int i = from;
        while (i < to) {
            if (b[i] >= 0) {
                i++;
                continue;
            }
            int n = validSequenceLength(b, i, to);
            if (n == 0) {
                return false;
            }
            i += n;
        }
        return true;
    }

    /** Encodes a code point (not a surrogate) at {@code dst[pos]}; returns the new position. */
    static int encode(int cp, byte[] dst, int pos) {
        if (cp < 0x80) {
            dst[pos++] = (byte) cp;
        } else if (cp < 0x800) {
            dst[pos++] = (byte) (0xc0 | cp >> 6);
            dst[pos++] = (byte) (0x80 | cp & 0x3f);
        } else if (cp < 0x10000) {
            dst[pos++] = (byte) (0xe0 | cp >> 12);
            dst[pos++] = (byte) (0x80 | cp >> 6 & 0x3f);
            dst[pos++] = (byte) (0x80 | cp & 0x3f);
        } else {
            dst[pos++] = (byte) (0xf0 | cp >> 18);
            dst[pos++] = (byte) (0x80 | cp >> 12 & 0x3f);
            dst[pos++] = (byte) (0x80 | cp >> 6 & 0x3f);
            dst[pos++] = (byte) (0x80 | cp & 0x3f);
        }
        return pos;
    }
}
