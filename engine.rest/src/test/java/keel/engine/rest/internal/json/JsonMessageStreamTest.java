package keel.engine.rest.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class JsonMessageStreamTest {
    private final DockerJson json = new DockerJson();

    /** Counts flushes, to prove each message is pushed out on its own. */
    private static final class Sink extends ByteArrayOutputStream {
        int flushes;

        @Override
        public void flush() {
            flushes++;
        }

        String text() {
            return toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void messagesAreCrLfFramedAndFlushed() {
        Sink out = new Sink();
        JsonMessageStream s = new JsonMessageStream(out, json, false);
        assertFalse(s.started());
        s.progress("abcd1234abcd", "Loading layer", 0, 0);
        s.message("Loaded image: busybox:latest");
        s.status("sha256:ff");
        s.error("boom");
        assertTrue(s.started());
        assertEquals("{\"status\":\"Loading layer\",\"progressDetail\":{},\"id\":\"abcd1234abcd\"}\r\n"
                + "{\"stream\":\"Loaded image: busybox:latest\\n\"}\r\n"
                + "{\"status\":\"sha256:ff\"}\r\n"
                + "{\"errorDetail\":{\"message\":\"boom\"},\"error\":\"boom\"}\r\n", out.text());
        assertEquals(4, out.flushes);
        assertTrue(s.sent("Loaded image: busybox:latest"));
    }

    @Test
    void progressOfOneIdIsRateLimitedButItsEndAlwaysGoesOut() {
        Sink out = new Sink();
        JsonMessageStream s = new JsonMessageStream(out, json, false);
        for (int i = 1; i <= 100; i++) {
            s.progress("layer1", "Loading layer", i * 1000L, 100_000);
        }
        s.progress("layer2", "Loading layer", 5, 10);
        String[] lines = out.text().split("\r\n");
        // The first update, the last (complete) one and layer2's first; the rest fell within the interval.
        assertTrue(lines.length >= 3 && lines.length < 10, out.text());
        assertTrue(lines[lines.length - 2].contains("\"current\":100000"), out.text());
        assertTrue(lines[lines.length - 1].contains("layer2"), out.text());
    }

    @Test
    void quietDropsProgressOnly() {
        Sink out = new Sink();
        JsonMessageStream s = new JsonMessageStream(out, json, true);
        s.progress("abcd1234abcd", "Loading layer", 10, 100);
        assertFalse(s.started());
        s.message("Loaded image: a:1\n");
        assertEquals("{\"stream\":\"Loaded image: a:1\\n\"}\r\n", out.text());
    }

    @Test
    void aClientThatWentAwayStopsTheProducer() {
        OutputStream gone = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("broken pipe");
            }
        };
        JsonMessageStream s = new JsonMessageStream(gone, json, false);
        assertThrows(UncheckedIOException.class, () -> s.progress("x", "Loading layer", 1, 2));
    }
}
