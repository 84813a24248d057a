package keel.engine.rest.internal.routes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

import org.junit.jupiter.api.Test;

import keel.engine.api.errors.EngineException;

/** since/until/tail of a log read, and the stream framing. */
class LogTimeTest {

    @Test
    void unixSecondsWithAFractionOfAnyLength() {
        assertEquals(0, LogTime.nanos("since", null));
        assertEquals(0, LogTime.nanos("since", ""));
        assertEquals(0, LogTime.nanos("until", "0"));
        assertEquals(1_700_000_000_000_000_000L, LogTime.nanos("since", "1700000000"));
        assertEquals(1_700_000_000_500_000_000L, LogTime.nanos("since", "1700000000.5"));
        assertEquals(1_700_000_000_000_000_123L, LogTime.nanos("since", "1700000000.000000123"));
        assertEquals(0, LogTime.nanos("since", "-5"), "before the epoch is the epoch");
    }

    @Test
    void rfc3339WithOffsetsAndFractions() {
        assertEquals(1_714_557_600_000_000_000L, LogTime.nanos("since", "2024-05-01T10:00:00Z"));
        assertEquals(1_714_550_400_250_000_000L, LogTime.nanos("since", "2024-05-01T10:00:00.25+02:00"));
        assertEquals(1_714_557_600_123_456_789L, LogTime.nanos("since", "2024-05-01T10:00:00.123456789Z"));
    }

    @Test
    void garbageIsABadRequest() {
        for (String bad : new String[] {"yesterday", "1.5.5", "99999999999999999999", "2024-05-01", "1.1234567891"}) {
            EngineException e = assertThrows(EngineException.class, () -> LogTime.nanos("since", bad), bad);
            assertEquals(EngineException.Kind.INVALID_PARAMETER, e.kind());
        }
    }

    @Test
    void tail() {
        assertEquals(-1, LogTime.tail(null));
        assertEquals(-1, LogTime.tail("all"));
        assertEquals(-1, LogTime.tail("-3"));
        assertEquals(0, LogTime.tail("0"));
        assertEquals(10, LogTime.tail("10"));
        assertThrows(EngineException.class, () -> LogTime.tail("ten"));
    }

    @Test
    void framesCarryStreamAndBigEndianSize() throws IOException {
        byte[] payload = new byte[300];
        byte[] frame = FramedStreamSink.frame(2, payload, 0, 300);
        assertArrayEquals(new byte[] {2, 0, 0, 0, 0, 0, 1, 44}, java.util.Arrays.copyOf(frame, 8));
        assertEquals(308, frame.length);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FramedStreamSink framed = new FramedStreamSink(out, false);
        framed.write(1, "ab".getBytes(), 0, 2);
        framed.write(1, new byte[0], 0, 0);
        framed.write(1, "c".getBytes(), 0, 1);
        framed.write(2, "e".getBytes(), 0, 1);
        framed.flush();
        assertArrayEquals(new byte[] {1, 0, 0, 0, 0, 0, 0, 3, 'a', 'b', 'c', 2, 0, 0, 0, 0, 0, 0, 1, 'e'},
                out.toByteArray(), "no empty frames; neighbours of one stream joined");
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        FramedStreamSink rawSink = new FramedStreamSink(raw, true);
        rawSink.write(0, "xyz".getBytes(), 1, 2);
        rawSink.flush();
        assertArrayEquals("yz".getBytes(), raw.toByteArray());

        FramedStreamSink broken = new FramedStreamSink(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("broken pipe");
            }
        }, false);
        broken.write(1, "x".getBytes(), 0, 1);
        broken.flush();
        assertEquals(false, broken.write(1, "x".getBytes(), 0, 1), "a client gone is false, not an exception");
    }
}
