package keel.logging.json.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.Test;

import keel.engine.api.logging.LogEntry;

/**
 * Golden lines: what Docker's json-file driver writes for a message, byte for byte (derived from moby's
 * jsonlogbytes.go and Go's time.RFC3339Nano; the escape rules are spelled out in {@link JsonStringEscaper}).
 */
class JsonLogEncoderTest {

    static final long T = nanos("2026-11-23T15:00:00.123456789Z");
    static final String TIME = "\"time\":\"2026-11-23T15:00:00.123456789Z\"}\n";

    static long nanos(String rfc3339) {
        Instant i = Instant.parse(rfc3339);
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    static String encode(String stream, long time, byte[] line) {
        JsonLogEncoder enc = new JsonLogEncoder(null);
        enc.encode(new LogEntry(stream, time, line));
        return new String(enc.buffer(), 0, enc.length(), StandardCharsets.UTF_8);
    }

    static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof String s) {
                out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            } else {
                out.write((Integer) p);
            }
        }
        return out.toByteArray();
    }

    @Test
    void plainLine() {
        assertEquals("{\"log\":\"hello world\\n\",\"stream\":\"stdout\"," + TIME,
                encode("stdout", T, bytes("hello world\n")));
    }

    @Test
    void controlCharactersOnlyNewlineAndCarriageReturnGetShortEscapes() {
        assertEquals("{\"log\":\"a\\u0009b\\u0000c\\u001bd\\u0008e\\u000cf\\rg\\u001f\\n\",\"stream\":\"stderr\","
                + TIME, encode("stderr", T, bytes("a\tb", 0, "c", 0x1b, "d\be\ff\rg", 0x1f, "\n")));
        // DEL (0x7f) is not a control byte for Docker: it stays raw.
        assertEquals("{\"log\":\"\u007f\\n\",\"stream\":\"stdout\"," + TIME, encode("stdout", T, bytes(0x7f, "\n")));
    }

    @Test
    void quotesAndBackslashes() {
        assertEquals("{\"log\":\"say \\\"hi\\\" \\\\ C:\\\\dir\\\\ /ok/\\n\",\"stream\":\"stdout\"," + TIME,
                encode("stdout", T, bytes("say \"hi\" \\ C:\\dir\\ /ok/\n")));
    }

    @Test
    void htmlCharactersAreEscaped() {
        assertEquals("{\"log\":\"\\u003ca href='x'\\u003e\\u0026amp;\\u003c/a\\u003e\\n\",\"stream\":\"stdout\","
                + TIME, encode("stdout", T, bytes("<a href='x'>&amp;</a>\n")));
    }

    @Test
    void unicodeStaysRawExceptLineAndParagraphSeparators() {
        assertEquals("{\"log\":\"héllo 世界 🚀 ψ ω \uFFFD \\u2028 \\u2029\\n\",\"stream\":\"stdout\"," + TIME,
                encode("stdout", T, bytes("héllo 世界 🚀 ψ ω \uFFFD \u2028 \u2029\n")));
    }

    @Test
    void invalidUtf8BecomesOneReplacementPerByte() {
        byte[] line = bytes("a", 0xff, "b", 0xc0, 0x80, 0xed, 0xa0, 0x80, 0xe2, 0x82, "x", 0xf4, 0x90, 0x80, 0x80,
                0xc3);
        String r = "\\ufffd";
        assertEquals("{\"log\":\"a" + r + "b" + r + r + r + r + r + r + r + "x" + r + r + r + r + r
                + "\",\"stream\":\"stdout\"," + TIME, encode("stdout", T, line));
    }

    @Test
    void partialMessageHasNoNewline() {
        assertEquals("{\"log\":\"first 16 KiB of a long line\",\"stream\":\"stdout\"," + TIME,
                encode("stdout", T, bytes("first 16 KiB of a long line")));
        // An empty message leaves out "log" (omitempty in Docker); an empty stream leaves out "stream".
        assertEquals("{\"stream\":\"stdout\"," + TIME, encode("stdout", T, new byte[0]));
        assertEquals("{\"log\":\"x\\n\"," + TIME, encode("", T, bytes("x\n")));
    }

    @Test
    void timeTrimsTrailingZerosLikeRfc3339Nano() {
        assertEquals("{\"log\":\"x\\n\",\"stream\":\"stdout\",\"time\":\"2026-11-23T15:00:00.12Z\"}\n",
                encode("stdout", nanos("2026-11-23T15:00:00.120Z"), bytes("x\n")));
        assertEquals("{\"log\":\"x\\n\",\"stream\":\"stdout\",\"time\":\"2026-11-23T15:00:00Z\"}\n",
                encode("stdout", nanos("2026-11-23T15:00:00Z"), bytes("x\n")));
        assertEquals("{\"log\":\"x\\n\",\"stream\":\"stdout\",\"time\":\"2017-09-01T01:01:01.000000001Z\"}\n",
                encode("stdout", nanos("2017-09-01T01:01:01.000000001Z"), bytes("x\n")));
        assertEquals("1970-01-01T00:00:00Z", Rfc3339NanoTime.format(0));
        assertEquals("1969-12-31T23:59:59.999999999Z", Rfc3339NanoTime.format(-1));
        assertEquals("2024-02-29T23:59:59.5Z", Rfc3339NanoTime.format(nanos("2024-02-29T23:59:59.5Z")));
        assertEquals("2262-04-11T23:47:16.854775807Z", Rfc3339NanoTime.format(Long.MAX_VALUE));
    }

    @Test
    void timeParsesWhatGoWrites() {
        byte[] t = bytes("2026-11-23T15:00:00.123456789Z");
        assertEquals(T, Rfc3339NanoTime.parse(t, 0, t.length));
        byte[] offset = bytes("2015-05-29T11:01:02.000000003+02:00");
        assertEquals(nanos("2015-05-29T09:01:02.000000003Z"), Rfc3339NanoTime.parse(offset, 0, offset.length));
        byte[] long10 = bytes("2015-05-29T11:01:02.1234567891Z");
        assertEquals(nanos("2015-05-29T11:01:02.123456789Z"), Rfc3339NanoTime.parse(long10, 0, long10.length));
        byte[] zero = bytes("0001-01-01T00:00:00Z");
        assertEquals(Long.MIN_VALUE, Rfc3339NanoTime.parse(zero, 0, zero.length));
        for (String bad : new String[] {"2015-13-01T00:00:00Z", "2015-02-29T00:00:00Z", "2015-01-01T00:00:00",
                "2015-01-01T00:00:00.Z", "2015-01-01 00:00:00Z", "yesterday"}) {
            byte[] b = bytes(bad);
            assertEquals(Rfc3339NanoTime.INVALID, Rfc3339NanoTime.parse(b, 0, b.length), bad);
        }
        for (long n : new long[] {0, 1, -1, T, 1_000_000_000L, Long.MAX_VALUE, Long.MIN_VALUE + 1_000_000_000L}) {
            byte[] b = bytes(Rfc3339NanoTime.format(n));
            assertEquals(n, Rfc3339NanoTime.parse(b, 0, b.length));
        }
    }

    @Test
    void attrsUseGoEncodingJsonEscapes() {
        // json.Marshal(map[string]string): sorted keys, \b \f \t short (Go 1.22+), HTML-safe, invalid UTF-8 replaced.
        assertEquals("{\"a\":\"1\",\"tag\":\"x\\ty\\b\\f\\n\\u0001\\u003c\\\"\"}",
                new String(LogAttributes.toJson(Map.of("tag", "x\ty\b\f\n\u0001<\"", "a", "1")),
                        StandardCharsets.UTF_8));
        JsonLogEncoder enc = new JsonLogEncoder(bytes("{\"tag\":\"a7317399f3f8/test-container\"}"));
        enc.encode(new LogEntry("stdout", T, bytes("line1\n")));
        assertEquals("{\"log\":\"line1\\n\",\"stream\":\"stdout\",\"attrs\":{\"tag\":\"a7317399f3f8/test-container\"},"
                + TIME, new String(enc.buffer(), 0, enc.length(), StandardCharsets.UTF_8));
    }

    @Test
    void longLinesGrowTheBuffer() {
        byte[] line = new byte[64 * 1024];
        Arrays.fill(line, (byte) '<');
        String encoded = encode("stdout", T, line);
        assertEquals("{\"log\":\"" + "\\u003c".repeat(line.length) + "\",\"stream\":\"stdout\"," + TIME, encoded);
        JsonLogDecoder dec = new JsonLogDecoder();
        byte[] b = encoded.getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(line, dec.decode(b, 0, b.length - 1).line());
    }
}
