package keel.logging.json.internal;

import static keel.logging.json.internal.JsonLogEncoderTest.T;
import static keel.logging.json.internal.JsonLogEncoderTest.bytes;
import static keel.logging.json.internal.JsonLogEncoderTest.nanos;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

import keel.engine.api.logging.LogEntry;

/** Reading lines back gives what Go's encoding/json gives Docker, on the fast path and on the general one. */
class JsonLogDecoderTest {

    private final JsonLogDecoder decoder = new JsonLogDecoder();

    private LogEntry decode(String line) {
        return decode(line.getBytes(StandardCharsets.UTF_8));
    }

    private LogEntry decode(byte[] b) {
        return decoder.decode(b, 0, b.length);
    }

    @Test
    void fastPath() {
        LogEntry e = decode("{\"log\":\"hello\",\"stream\":\"stderr\",\"time\":\"2026-11-23T15:00:00.123456789Z\"}");
        assertEquals("stderr", e.stream());
        assertEquals(T, e.timeNanos());
        assertArrayEquals(bytes("hello"), e.line());
        LogEntry withAttrs = decode("{\"log\":\"x\",\"stream\":\"stdout\",\"attrs\":{\"tag\":\"a}\\\"b\",\"n\":{\"m\":1}},"
                + "\"time\":\"2026-11-23T15:00:00.123456789Z\"}");
        assertArrayEquals(bytes("x"), withAttrs.line());
        assertEquals(T, withAttrs.timeNanos());
    }

    @Test
    void escapesAreDecodedLikeGo() {
        LogEntry e = decode("{\"log\":\"q\\\" b\\\\ s\\/ a\\' \\b\\f\\n\\r\\t \\u0000\\u003c\\u00e9\\u20ac "
                + "\\ud83d\\ude80 \\ud83d \\ud83d\\u0041 \\ude80\",\"stream\":\"stdout\",\"time\":\"2026-11-23T15:00:00Z\"}");
        assertArrayEquals(bytes("q\" b\\ s/ a' \b\f\n\r\t ", 0, "<é€ 🚀 \uFFFD \uFFFDA \uFFFD"), e.line());
    }

    @Test
    void invalidUtf8InTheFileBecomesReplacementCharacters() {
        byte[] line = bytes("{\"log\":\"a", 0xff, "b", 0xe2, 0x82, "\",\"stream\":\"stdout\",\"time\":\"2026-11-23T15:00:00Z\"}");
        assertArrayEquals(bytes("a\uFFFDb\uFFFD\uFFFD"), decode(line).line());
    }

    @Test
    void anyKeyOrderWhitespaceCaseAndUnknownKeys() {
        LogEntry e = decode(" { \"Time\" : \"2015-05-29T11:01:02.000000003+02:00\" , \"extra\": [1, {\"a\": \"}\"}], "
                + "\"STREAM\":\"stdout\", \"attrs\": null, \"log\" : \"x\\n\" } ");
        assertEquals("stdout", e.stream());
        assertEquals(nanos("2015-05-29T09:01:02.000000003Z"), e.timeNanos());
        assertArrayEquals(bytes("x\n"), e.line());
        LogEntry noLog = decode("{\"stream\":\"stdout\",\"time\":\"2026-11-23T15:00:00.123456789Z\"}");
        assertArrayEquals(new byte[0], noLog.line());
        assertEquals(T, noLog.timeNanos());
        LogEntry otherStream = decode("{\"log\":\"x\",\"stream\":\"src1\",\"time\":\"0001-01-01T00:00:00Z\"}");
        assertEquals("src1", otherStream.stream());
        assertEquals(Long.MIN_VALUE, otherStream.timeNanos());
    }

    @Test
    void garbageIsNotAnEntry() {
        for (String bad : new String[] {"", "garbage", "{", "{\"log\":\"x\"", "{\"log\":\"x\",\"time\":\"never\"}",
                "{\"log\":1,\"time\":\"2026-11-23T15:00:00Z\"}", "{\"log\":\"\\q\",\"time\":\"2026-11-23T15:00:00Z\"}",
                "{\"log\":\"x\",\"time\":\"2026-11-23T15:00:00Z\"} trailing",
                "{\"log\":\"\\ud83\",\"time\":\"2026-11-23T15:00:00Z\"}"}) {
            assertNull(decode(bad), bad);
        }
    }

    @Test
    void randomValidUtf8RoundTripsExactly() {
        Random r = new Random(42);
        JsonLogEncoder enc = new JsonLogEncoder(null);
        for (int n = 0; n < 20_000; n++) {
            StringBuilder s = new StringBuilder();
            int len = r.nextInt(40);
            for (int i = 0; i < len; i++) {
                switch (r.nextInt(6)) {
                    case 0 -> s.append((char) r.nextInt(0x20)); // control characters
                    case 1 -> s.append("\"\\<>&/'".charAt(r.nextInt(7)));
                    case 2 -> s.append((char) (0x80 + r.nextInt(0x2000))); // 2 and 3 byte forms, incl. U+2028
                    case 3 -> s.appendCodePoint(0x10000 + r.nextInt(0x100000)); // 4 byte forms
                    default -> s.append((char) (0x20 + r.nextInt(0x5f)));
                }
            }
            byte[] line = s.toString().getBytes(StandardCharsets.UTF_8);
            long time = r.nextLong() / 4;
            enc.encode(new LogEntry(r.nextBoolean() ? "stdout" : "stderr", time, line));
            LogEntry back = decoder.decode(enc.buffer(), 0, enc.length() - 1);
            assertArrayEquals(line, back.line(), s.toString());
            assertEquals(time, back.timeNanos());
        }
    }
}
