package keel.logging.json.internal;

import java.nio.charset.StandardCharsets;

import keel.engine.api.logging.LogEntry;

/**
 * Turns one {@link LogEntry} into one json-file line, byte for byte as Docker's jsonlog marshaller does:
 * {@code {"log":"...","stream":"stdout","attrs":{...},"time":"..."}} and a newline. {@code log} is left out for an
 * empty message, {@code stream} for an empty stream and {@code attrs} when there are none (all are omitempty in
 * Docker). The message keeps its trailing newline when it has one: a piece of a longer line (a partial message)
 * has none. One encoder per writer thread; the returned buffer is reused.
 */
public final class JsonLogEncoder {

    private static final byte[] LOG = "\"log\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STREAM = "\"stream\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ATTRS = "\"attrs\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TIME = "\"time\":\"".getBytes(StandardCharsets.US_ASCII);

    private final byte[] attrs;
    private byte[] buf = new byte[4096];
    private int length;
    private String lastStream;
    private byte[] lastStreamBytes;

    /** @param attrs the {@code attrs} object as JSON (see {@link LogAttributes}), or null/empty for none */
    public JsonLogEncoder(byte[] attrs) {
        this.attrs = attrs == null || attrs.length == 0 ? null : attrs.clone();
    }

    /** Encodes {@code entry}; the line is {@code buffer()[0, length())}, valid until the next call. */
    public void encode(LogEntry entry) {
        byte[] line = entry.line() == null ? new byte[0] : entry.line();
        byte[] stream = streamBytes(entry.stream());
        int max = LOG.length + JsonStringEscaper.maxQuotedLength(line.length) + 1 + STREAM.length
                + JsonStringEscaper.maxQuotedLength(stream.length) + 1 + ATTRS.length
                + (attrs == null ? 0 : attrs.length) + 1 + TIME.length + Rfc3339NanoTime.MAX_LENGTH + 3;
        if (buf.length < max) {
            buf = new byte[Math.max(max, buf.length * 2)];
        }
        byte[] b = buf;
        int pos = 0;
        b[pos++] = '{';
        boolean first = true;
        if (line.length != 0) {
            pos = put(LOG, b, pos);
            pos = JsonStringEscaper.JSONLOG.appendQuoted(line, 0, line.length, b, pos);
            first = false;
        }
        if (stream.length != 0) {
            if (!first) {
                b[pos++] = ',';
            }
            pos = put(STREAM, b, pos);
            pos = JsonStringEscaper.JSONLOG.appendQuoted(stream, 0, stream.length, b, pos);
            first = false;
        }
        if (attrs != null) {
            if (!first) {
                b[pos++] = ',';
            }
            pos = put(ATTRS, b, pos);
            pos = put(attrs, b, pos);
            first = false;
        }
        if (!first) {
            b[pos++] = ',';
        }
        pos = put(TIME, b, pos);
        pos = Rfc3339NanoTime.format(entry.timeNanos(), b, pos);
        b[pos++] = '"';
        b[pos++] = '}';
        b[pos++] = '\n';
        length = pos;
    }

    private byte[] streamBytes(String stream) {
        if (stream == null) {
            return new byte[0];
        }
        if (!stream.equals(lastStream)) { // two streams per container: convert once, not per line
            lastStreamBytes = stream.getBytes(StandardCharsets.UTF_8);
            lastStream = stream;
        }
        return lastStreamBytes;
    }

    private static int put(byte[] src, byte[] dst, int pos) {
        System.arraycopy(src, 0, dst, pos, src.length);
        return pos + src.length;
    }

    public byte[] buffer() {
        return buf;
    }

    public int length() {
        return length;
    }
}
