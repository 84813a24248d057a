package keel.cli.internal.container.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** stdcopy demultiplexing, the detach-key proxy and detach-key parsing. */
class StreamPiecesTest {

    private static byte[] frame(int stream, String payload) {
        byte[] p = payload.getBytes(StandardCharsets.UTF_8);
        byte[] f = new byte[8 + p.length];
        f[0] = (byte) stream;
        f[6] = (byte) (p.length >> 8);
        f[7] = (byte) p.length;
        System.arraycopy(p, 0, f, 8, p.length);
        return f;
    }

    /** Hands out one byte per read: frames split anywhere must still come out whole. */
    private static InputStream trickle(byte[] b) {
        return new ByteArrayInputStream(b) {
            @Override
            public synchronized int read(byte[] buf, int off, int len) {
                return super.read(buf, off, Math.min(len, 1));
            }
        };
    }

    @Test
    void framesGoToTheirStreams() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(frame(1, "out1\n"));
        b.writeBytes(frame(2, "err\n"));
        b.writeBytes(frame(0, "stdin goes to stdout\n"));
        b.writeBytes(frame(1, "x".repeat(300)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        StdStreamDemuxer.copy(trickle(b.toByteArray()), out, err);
        assertEquals("out1\nstdin goes to stdout\n" + "x".repeat(300), out.toString(StandardCharsets.UTF_8));
        assertEquals("err\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void missingDestinationsDropTheirFramesAndDaemonErrorsFail() throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        StdStreamDemuxer.copy(new ByteArrayInputStream(frame(1, "dropped")), null, err);
        assertEquals(0, err.size());
        IOException e = assertThrows(IOException.class, () -> StdStreamDemuxer.copy(
                new ByteArrayInputStream(frame(3, "boom")), new ByteArrayOutputStream(), err));
        assertEquals("error from daemon in stream: boom", e.getMessage());
        assertEquals("Unrecognized input header: 9", assertThrows(IOException.class, () -> StdStreamDemuxer.copy(
                new ByteArrayInputStream(frame(9, "?")), null, null)).getMessage());
    }

    private static String readAll(EscapeKeyInput in) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] b = new byte[64];
        int n;
        while ((n = in.read(b)) >= 0) {
            got.write(b, 0, n);
        }
        return got.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void detachSequenceIsHeldBackAndEndsTheInput() throws IOException {
        EscapeKeyInput in = new EscapeKeyInput(trickle("ab\u0010\u0011cd".getBytes(StandardCharsets.ISO_8859_1)),
                DetachKeys.DEFAULT);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] b = new byte[64];
        IOException detached = assertThrows(EscapeKeyInput.Detached.class, () -> {
            int n;
            while ((n = in.read(b)) >= 0) {
                got.write(b, 0, n);
            }
        });
        assertEquals("read escape sequence", detached.getMessage());
        assertEquals("ab", got.toString(StandardCharsets.ISO_8859_1));
    }

    @Test
    void aBrokenOffSequenceIsLetThrough() throws IOException {
        assertEquals("\u0010x", readAll(new EscapeKeyInput(new ByteArrayInputStream(
                "\u0010x".getBytes(StandardCharsets.ISO_8859_1)), DetachKeys.DEFAULT)));
        // As in moby/term, the key that breaks a sequence is not itself taken as the start of a new one.
        assertEquals("\u0010\u0010\u0011", readAll(new EscapeKeyInput(new ByteArrayInputStream(
                "\u0010\u0010\u0011".getBytes(StandardCharsets.ISO_8859_1)), DetachKeys.DEFAULT)));
        // A lone ctrl-p at the end of the input is dropped, as docker drops it.
        assertEquals("a", readAll(new EscapeKeyInput(new ByteArrayInputStream(
                "a\u0010".getBytes(StandardCharsets.ISO_8859_1)), DetachKeys.DEFAULT)));
    }

    @Test
    void detachKeysParseAsMobyTerm() {
        assertArrayEquals(new byte[] {16, 17}, DetachKeys.parse("ctrl-p,ctrl-q"));
        assertArrayEquals(new byte[] {1, 'b', 27, 127, 28}, DetachKeys.parse("ctrl-a,b,ctrl-[,DEL,ctrl-\\"));
        assertEquals("Unknown character: 'ctrl-'", assertThrows(IllegalArgumentException.class,
                () -> DetachKeys.parse("ctrl-")).getMessage());
    }

    @Test
    void signalNamesForTheApi() {
        assertEquals("TERM", SignalForwarder.apiName("SIGTERM"));
        assertEquals("HUP", SignalForwarder.apiName("hup"));
    }
}
