package keel.cli.internal.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 connection to the daemon over a Unix or TCP socket. Requests go out one at a time; a response body
 * read to its end leaves the connection ready for the next request (keep-alive), which saves a connect between the
 * version ping and the real request.
 */
public final class HttpConnection implements AutoCloseable {

    private final SocketChannel channel;
    private final HttpInput in;
    private final HttpOutput out;
    private final String hostHeader;
    private boolean reusable;

    private HttpConnection(SocketChannel channel, String hostHeader) {
        this.channel = channel;
        this.in = new HttpInput(channel);
        this.out = new HttpOutput(channel);
        this.hostHeader = hostHeader;
    }

    public static HttpConnection open(DaemonHost host) throws IOException {
        SocketChannel ch = host.isUnix() ? SocketChannel.open(host.family()) : SocketChannel.open();
        try {
            ch.connect(host.address());
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        return new HttpConnection(ch, host.hostHeader());
    }

    public boolean isReusable() {
        return reusable && channel.isOpen();
    }

    /**
     * Sends a request and reads the response head. The body (if any) is written completely before the response is
     * read: the daemon answers load/import only after it has the whole archive.
     */
    public HttpResponse exchange(String method, String target, Map<String, String> headers, RequestBody body,
            String contentType) throws IOException {
        reusable = false;
        StringBuilder head = new StringBuilder(256);
        head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(hostHeader).append("\r\n");
        head.append("User-Agent: Keel-Client/").append(ClientVersion.VERSION).append(" (linux)\r\n");
        if (headers != null) {
            for (Map.Entry<String, String> e : headers.entrySet()) {
                head.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n");
            }
        }
        if (body != null) {
            if (contentType != null) {
                head.append("Content-Type: ").append(contentType).append("\r\n");
            }
            if (body.length() >= 0) {
                head.append("Content-Length: ").append(body.length()).append("\r\n");
            } else {
                head.append("Transfer-Encoding: chunked\r\n");
            }
        } else if ("POST".equals(method) || "PUT".equals(method)) {
            head.append("Content-Length: 0\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.UTF_8));
        if (body != null) {
            try {
                if (body.length() >= 0) {
                    body.writeTo(out);
                    out.flush();
                } else {
                    ChunkedOutputStream chunked = new ChunkedOutputStream(out);
                    body.writeTo(chunked);
                    chunked.finish();
                }
            } catch (IOException uploadFailed) {
                // The daemon may refuse an archive early (bad query, unreadable tar) and close the connection while
                // the upload is still going: its answer says why, the broken pipe does not.
                try {
                    HttpResponse early = readResponse(false);
                    if (early.status() >= 400) {
                        return early;
                    }
                } catch (IOException noAnswer) {
                    uploadFailed.addSuppressed(noAnswer);
                }
                throw uploadFailed;
            }
        } else {
            out.flush();
        }
        return readResponse("HEAD".equals(method));
    }

    private HttpResponse readResponse(boolean head) throws IOException {
        String statusLine = in.readLine();
        if (statusLine == null) {
            throw new EOFException("EOF");
        }
        // "HTTP/1.1 200 OK"
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("malformed HTTP response \"" + statusLine + "\"");
        }
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("malformed HTTP status code \"" + parts[1] + "\"");
        }
        String reason = parts.length > 2 ? parts[2] : "";
        Map<String, String> headers = new HashMap<>();
        String line;
        while ((line = in.readLine()) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).trim();
                headers.merge(name, value, (a, b) -> a + ", " + b);
            }
        }
        boolean keepAlive = parts[0].equals("HTTP/1.1")
                && !"close".equalsIgnoreCase(headers.getOrDefault("connection", ""));
        InputStream body;
        Runnable done = () -> reusable = keepAlive;
        if (head || status == 204 || status == 304 || (status >= 100 && status < 200)) {
            body = InputStream.nullInputStream();
            done.run();
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = new ChunkedInputStream(in, done);
        } else if (headers.containsKey("content-length")) {
            long len = Long.parseLong(headers.get("content-length"));
            body = new LengthInputStream(in, len, done);
        } else {
            body = in; // until the daemon closes the connection
        }
        return new HttpResponse(status, reason, headers, body);
    }

    /**
     * The socket as a raw byte stream after a successful upgrade ({@code 101 UPGRADED}, or {@code 200} from
     * daemons that answer attach without upgrading): bytes already read past the head stay in front of the rest.
     */
    HijackedConnection hijacked(HttpResponse head) {
        reusable = false;
        return new HijackedConnection(channel, in, head.header("Content-Type"));
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    private static final class LengthInputStream extends InputStream {
        private final InputStream in;
        private long remaining;
        private final Runnable onEnd;

        LengthInputStream(InputStream in, long length, Runnable onEnd) {
            this.in = in;
            this.remaining = length;
            this.onEnd = onEnd;
            if (length == 0) {
                onEnd.run();
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n < 0) {
                throw new EOFException("unexpected EOF: body shorter than Content-Length");
            }
            remaining -= n;
            if (remaining == 0) {
                onEnd.run();
            }
            return n;
        }
    }
}
