package keel.itest.felix;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Just enough HTTP/1.1 over a Unix socket to call the daemon's API the way an operator's client does: one request
 * per connection ({@code Connection: close}), the whole response read back, chunked bodies decoded.
 */
final class UnixHttp {
    record Response(int status, String headers, String body) {}

    private UnixHttp() {}

    static Response call(Path socket, String method, String path, byte[] body, String contentType)
            throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            StringBuilder req = new StringBuilder();
            req.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: keel\r\nConnection: close\r\n");
            if (body != null) {
                req.append("Content-Type: ").append(contentType).append("\r\nContent-Length: ").append(body.length)
                        .append("\r\n");
            }
            req.append("\r\n");
            ch.write(ByteBuffer.wrap(req.toString().getBytes(StandardCharsets.US_ASCII)));
            if (body != null) {
                ByteBuffer b = ByteBuffer.wrap(body);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            }
            byte[] raw = Channels.newInputStream(ch).readAllBytes();
            int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
            String head = new String(raw, 0, end, StandardCharsets.US_ASCII);
            int status = Integer.parseInt(head.substring(9, 12));
            byte[] rest = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
            if (head.toLowerCase().contains("transfer-encoding: chunked")) {
                rest = dechunk(rest);
            }
            return new Response(status, head, new String(rest, StandardCharsets.UTF_8));
        }
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = from; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] dechunk(byte[] s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] crlf = "\r\n".getBytes(StandardCharsets.US_ASCII);
        int i = 0;
        while (i < s.length) {
            int eol = indexOf(s, crlf, i);
            int size = Integer.parseInt(new String(s, i, eol - i, StandardCharsets.US_ASCII).trim(), 16);
            if (size == 0) {
                break;
            }
            out.write(s, eol + 2, size);
            i = eol + 2 + size + 2;
        }
        return out.toByteArray();
    }
}
