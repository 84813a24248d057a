package keel.engine.rest;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A deliberately tiny HTTP/1.1 client over a Unix socket, so the tests see the bytes dockerd's clients see: the
 * status line, every header and the chunk framing of streams. One request per connection.
 */
final class UnixHttpClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path socket;

    UnixHttpClient(Path socket) {
        this.socket = socket;
    }

    Response get(String target) throws IOException {
        return send("GET", target, Map.of(), null);
    }

    Response send(String method, String target) throws IOException {
        return send(method, target, Map.of(), null);
    }

    /** A request with an optional body sent with its Content-Length; reads the whole response. */
    Response send(String method, String target, Map<String, String> headers, byte[] body) throws IOException {
        // No body is Content-Length 0 (an unterminated chunked body would leave a route that reads it waiting).
        try (Exchange x = open(method, target, headers, body == null ? 0L : (long) body.length)) {
            if (body != null) {
                x.out.write(body);
                x.out.flush();
            }
            return x.readResponse();
        }
    }

    /**
     * Opens a request and sends its head; the caller writes the body (chunked when {@code contentLength} is null
     * and the method has a body) and then reads the response, possibly while still writing.
     */
    Exchange open(String method, String target, Map<String, String> headers, Long contentLength)
            throws IOException {
        SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        Exchange x = new Exchange(ch, method);
        StringBuilder head = new StringBuilder();
        head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        head.append("Host: docker\r\n");
        head.append("User-Agent: keel-test\r\n");
        // No "Connection: close": Jetty would then delimit bodies by EOF instead of chunking them, and Docker's
        // clients keep connections alive, so the chunked framing is what they see.
        for (Map.Entry<String, String> h : headers.entrySet()) {
            head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        if (contentLength != null) {
            head.append("Content-Length: ").append(contentLength).append("\r\n");
        } else if (method.equals("POST") || method.equals("PUT")) {
            head.append("Transfer-Encoding: chunked\r\n");
            x.chunkedRequest = true;
        }
        head.append("\r\n");
        x.rawOut.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        return x;
    }

    /** One request/response on its own connection. */
    static final class Exchange implements AutoCloseable {
        private final SocketChannel ch;
        private final String method;
        final OutputStream rawOut;
        final InputStream in;
        /** The request body: chunk-encodes when the request is chunked. */
        final OutputStream out;
        boolean chunkedRequest;
        int status;
        String statusLine;
        final Map<String, List<String>> headers = new LinkedHashMap<>();
        private InputStream body;
        final List<byte[]> chunks = new ArrayList<>();

        Exchange(SocketChannel ch, String method) {
            this.ch = ch;
            this.method = method;
            this.rawOut = new ChannelOut(ch);
            this.in = new java.io.BufferedInputStream(new ChannelIn(ch), 65536);
            this.out = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    if (len == 0) {
                        return;
                    }
                    if (chunkedRequest) {
                        rawOut.write((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        rawOut.write(b, off, len);
                        rawOut.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    } else {
                        rawOut.write(b, off, len);
                    }
                }

                @Override
                public void close() throws IOException {
                    if (chunkedRequest) {
                        rawOut.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                }
            };
        }

        /** Reads the status line and headers; the body is then read with {@link #body()}. */
        Exchange readHead() throws IOException {
            statusLine = line();
            if (statusLine == null) {
                throw new EOFException("connection closed before a response");
            }
            String[] parts = statusLine.split(" ", 3);
            status = Integer.parseInt(parts[1]);
            String l;
            while ((l = line()) != null && !l.isEmpty()) {
                int colon = l.indexOf(':');
                headers.computeIfAbsent(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(l.substring(colon + 1).trim());
            }
            String te = header("transfer-encoding");
            String cl = header("content-length");
            if (method.equals("HEAD") || status == 204 || status == 304 || status == 101) {
                body = InputStream.nullInputStream();
            } else if (te != null && te.equalsIgnoreCase("chunked")) {
                body = new ChunkedIn();
            } else if (cl != null) {
                body = new LimitedIn(in, Long.parseLong(cl));
            } else {
                body = in;
            }
            return this;
        }

        String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null ? null : v.get(0);
        }

        InputStream body() {
            return body;
        }

        /** The next line of the body (for JSON message streams), or null at its end. */
        String bodyLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int c;
            while ((c = body.read()) >= 0) {
                if (c == '\n') {
                    return line.toString(StandardCharsets.UTF_8);
                }
                line.write(c);
            }
            return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
        }

        Response readResponse() throws IOException {
            readHead();
            byte[] b = body.readAllBytes();
            return new Response(status, headers, b, List.copyOf(chunks));
        }

        private String line() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) >= 0) {
                if (c == '\n') {
                    String s = line.toString(StandardCharsets.ISO_8859_1);
                    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
                }
                line.write(c);
            }
            return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
        }

        /** Half-closes: the server reads EOF, the response can still be read (what the docker CLI does). */
        void shutdownOutput() throws IOException {
            ch.shutdownOutput();
        }

        /** After a 101: the raw socket, from the first byte behind the response head. */
        InputStream raw() {
            return in;
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }

        /** Decodes a chunked body and keeps each chunk, so tests can check how a stream was framed. */
        private final class ChunkedIn extends InputStream {
            private byte[] current = new byte[0];
            private int pos;
            private boolean done;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                // InputStream.readNBytes ends with a zero-length read: it must not wait for another chunk.
                if (len == 0) {
                    return 0;
                }
                while (pos == current.length) {
                    if (done || !next()) {
                        return -1;
                    }
                }
                int n = Math.min(len, current.length - pos);
                System.arraycopy(current, pos, b, off, n);
                pos += n;
                return n;
            }

            private boolean next() throws IOException {
                // The CRLF ending the previous chunk is read only now: Jetty sends it in front of the next chunk's
                // size, so waiting for it earlier would hold back a chunk that has fully arrived.
                if (!chunks.isEmpty()) {
                    String end = line();
                    if (end == null) {
                        throw new EOFException("chunked body cut short");
                    }
                    if (!end.isEmpty()) {
                        throw new IOException("chunk not followed by CRLF");
                    }
                }
                String size = line();
                if (size == null) {
                    throw new EOFException("chunked body cut short");
                }
                int semi = size.indexOf(';');
                int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                if (n == 0) {
                    String trailer;
                    while ((trailer = line()) != null && !trailer.isEmpty()) {
                        // trailers are ignored
                    }
                    done = true;
                    return false;
                }
                current = in.readNBytes(n);
                if (current.length < n) {
                    throw new EOFException("chunk cut short");
                }
                pos = 0;
                chunks.add(current);
                return true;
            }
        }
    }

    record Response(int status, Map<String, List<String>> headers, byte[] body, List<byte[]> chunks) {
        String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null ? null : v.get(0);
        }

        List<String> headerValues(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }

        String message() throws IOException {
            return json().path("message").asText();
        }
    }

    private static final class LimitedIn extends InputStream {
        private final InputStream in;
        private long left;

        LimitedIn(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int c = in.read();
            if (c >= 0) {
                left--;
            }
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }

    /** Reads the channel directly: Channels.newInputStream would lock out concurrent writes. */
    private static final class ChannelIn extends InputStream {
        private final SocketChannel ch;

        ChannelIn(SocketChannel ch) {
            this.ch = ch;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return ch.read(ByteBuffer.wrap(b, off, len));
        }
    }

    private static final class ChannelOut extends OutputStream {
        private final SocketChannel ch;

        ChannelOut(SocketChannel ch) {
            this.ch = ch;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ByteBuffer buf = ByteBuffer.wrap(b, off, len);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        }
    }
}
