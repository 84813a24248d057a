package keel.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A Docker Engine API stand-in on a Unix socket: canned responses per "METHOD /path" (version prefix removed),
 * every request recorded with its headers and body. Speaks enough HTTP/1.1 for the CLI: keep-alive, bodies with
 * Content-Length or chunked, chunked or fixed-length responses.
 */
final class FakeDaemon implements AutoCloseable {

    /** A recorded request. */
    static final class Request {
        final String method;
        final String target; // as sent: /v1.50/images/json?all=1
        final Map<String, String> headers;
        final byte[] body;

        Request(String method, String target, Map<String, String> headers, byte[] body) {
            this.method = method;
            this.target = target;
            this.headers = headers;
            this.body = body;
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** The path without the /vX.Y prefix, without query. */
        String path() {
            String p = target.replaceFirst("^/v[0-9.]+", "");
            int q = p.indexOf('?');
            return q < 0 ? p : p.substring(0, q);
        }

        String query() {
            int q = target.indexOf('?');
            return q < 0 ? "" : target.substring(q + 1);
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return method + " " + target;
        }
    }

    /** A canned response. */
    static final class Response {
        int status = 200;
        final Map<String, String> headers = new LinkedHashMap<>();
        byte[] body = new byte[0];
        List<String> chunks; // sent chunked when set
        boolean beforeBody; // answer without reading the request body, then hang up (a daemon refusing an upload)
        Hijack hijack; // 101 UPGRADED, then the connection is the handler's
        java.util.concurrent.Callable<String> deferred; // head at once, the (chunked) body when this returns

        /** The daemon's side of an attach or exec: raw streams on the socket (no lock between the two). */
        interface Hijack {
            void run(Request request, InputStream in, OutputStream out, SocketChannel channel) throws Exception;
        }

        /** docker's attach answer: 101 UPGRADED with a raw-stream content type, then the handler's bytes. */
        static Response hijack(Hijack h) {
            Response r = new Response();
            r.status = 101;
            r.hijack = h;
            return r;
        }

        /**
         * A long poll (POST /wait): the head (and a flush) at once, as moby does before it starts waiting, the body
         * when {@code body} returns.
         */
        static Response deferred(java.util.concurrent.Callable<String> body) {
            Response r = new Response();
            r.headers.put("Content-Type", "application/json");
            r.deferred = body;
            return r;
        }

        static Response json(int status, String json) {
            Response r = new Response();
            r.status = status;
            r.headers.put("Content-Type", "application/json");
            r.body = json.getBytes(StandardCharsets.UTF_8);
            return r;
        }

        static Response text(int status, String contentType, String text) {
            Response r = new Response();
            r.status = status;
            if (contentType != null) {
                r.headers.put("Content-Type", contentType);
            }
            r.body = text.getBytes(StandardCharsets.UTF_8);
            return r;
        }

        /** A JSON message stream, one chunk per message, as the daemon sends load/import progress. */
        static Response stream(String... messages) {
            Response r = new Response();
            r.headers.put("Content-Type", "application/json");
            r.chunks = List.of(messages);
            return r;
        }

        static Response bytes(String contentType, byte[] body) {
            Response r = new Response();
            r.headers.put("Content-Type", contentType);
            r.body = body;
            return r;
        }
    }

    private final Path socket;
    private final ServerSocketChannel server;
    private final Thread acceptor;
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Function<Request, Response>> routes = new ConcurrentHashMap<>();
    volatile String apiVersion = "1.50";
    volatile boolean headPingAllowed = true;

    FakeDaemon(Path dir) throws IOException {
        socket = dir.resolve("keel.sock");
        Files.deleteIfExists(socket);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        acceptor = new Thread(this::acceptLoop, "fake-daemon");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String host() {
        return "unix://" + socket;
    }

    Path socket() {
        return socket;
    }

    FakeDaemon on(String methodAndPath, Function<Request, Response> handler) {
        routes.put(methodAndPath, handler);
        return this;
    }

    FakeDaemon on(String methodAndPath, Response response) {
        return on(methodAndPath, r -> response);
    }

    FakeDaemon onJson(String methodAndPath, String json) {
        return on(methodAndPath, Response.json(200, json));
    }

    List<Request> requests() {
        synchronized (requests) {
            return new ArrayList<>(requests);
        }
    }

    /** Requests other than the version ping. */
    List<Request> apiRequests() {
        List<Request> out = new ArrayList<>();
        for (Request r : requests()) {
            if (!r.path().equals("/_ping")) {
                out.add(r);
            }
        }
        return out;
    }

    Request last() {
        List<Request> r = apiRequests();
        return r.get(r.size() - 1);
    }

    private final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();

    int connections() {
        return connections.get();
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel ch = server.accept();
                connections.incrementAndGet();
                Thread t = new Thread(() -> serve(ch), "fake-daemon-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(SocketChannel ch) {
        try (ch; InputStream in = Channels.newInputStream(ch); OutputStream out = Channels.newOutputStream(ch)) {
            while (true) {
                String requestLine = readLine(in);
                if (requestLine == null || requestLine.isEmpty()) {
                    return;
                }
                String[] parts = requestLine.split(" ");
                Map<String, String> headers = new LinkedHashMap<>();
                String line;
                while ((line = readLine(in)) != null && !line.isEmpty()) {
                    int c = line.indexOf(':');
                    headers.put(line.substring(0, c).trim().toLowerCase(Locale.ROOT), line.substring(c + 1).trim());
                }
                Request head = new Request(parts[0], parts[1], headers, new byte[0]);
                Response early = respond(head);
                if (early.beforeBody) {
                    requests.add(head);
                    write(out, head, early);
                    return;
                }
                byte[] body = readBody(in, headers);
                Request req = new Request(parts[0], parts[1], headers, body);
                requests.add(req);
                Response resp = respond(req);
                if (resp.hijack != null) {
                    out.write(("HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\n"
                            + "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    try {
                        resp.hijack.run(req, rawInput(ch), rawOutput(ch), ch);
                    } catch (Exception e) {
                        // the client went away
                    }
                    return;
                }
                if (resp.deferred != null) {
                    StringBuilder status = new StringBuilder("HTTP/1.1 200 OK\r\n");
                    for (Map.Entry<String, String> e : resp.headers.entrySet()) {
                        status.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n");
                    }
                    status.append("Transfer-Encoding: chunked\r\n\r\n");
                    out.write(status.toString().getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    String json;
                    try {
                        json = resp.deferred.call();
                    } catch (Exception e) {
                        return; // hang up without an answer
                    }
                    byte[] b = (json + "\n").getBytes(StandardCharsets.UTF_8);
                    out.write((Integer.toHexString(b.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(b);
                    out.write("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    continue;
                }
                write(out, req, resp);
            }
        } catch (IOException e) {
            // client went away
        }
    }

    private Response respond(Request req) {
        if (req.path().equals("/_ping")) {
            if (req.method.equals("HEAD") && !headPingAllowed) {
                Response r = Response.text(405, "text/plain", "");
                return r;
            }
            Response r = Response.text(200, "text/plain; charset=utf-8", "OK");
            if (apiVersion != null) {
                r.headers.put("Api-Version", apiVersion);
            }
            r.headers.put("Ostype", "linux");
            return r;
        }
        Function<Request, Response> h = routes.get(req.method + " " + req.path());
        if (h == null) {
            return Response.json(404, "{\"message\":\"page not found\"}");
        }
        return h.apply(req);
    }

    private static void write(OutputStream out, Request req, Response resp) throws IOException {
        StringBuilder head = new StringBuilder();
        head.append("HTTP/1.1 ").append(resp.status).append(' ').append(reason(resp.status)).append("\r\n");
        for (Map.Entry<String, String> e : resp.headers.entrySet()) {
            head.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n");
        }
        if (resp.chunks != null) {
            head.append("Transfer-Encoding: chunked\r\n\r\n");
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            for (String c : resp.chunks) {
                byte[] b = (c + "\r\n").getBytes(StandardCharsets.UTF_8);
                out.write((Integer.toHexString(b.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(b);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        } else {
            head.append("Content-Length: ").append(resp.body.length).append("\r\n\r\n");
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            if (!req.method.equals("HEAD")) {
                out.write(resp.body);
            }
        }
        out.flush();
    }

    /** Reads the socket directly: Channels.newInputStream would hold the lock a concurrent writer needs. */
    static InputStream rawInput(SocketChannel ch) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n <= 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                return ch.read(java.nio.ByteBuffer.wrap(b, off, len));
            }
        };
    }

    static OutputStream rawOutput(SocketChannel ch) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b, off, len);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
        };
    }

    private static String reason(int status) {
        switch (status) {
            case 200: return "OK";
            case 201: return "Created";
            case 204: return "No Content";
            case 404: return "Not Found";
            case 405: return "Method Not Allowed";
            case 409: return "Conflict";
            case 500: return "Internal Server Error";
            default: return "Status";
        }
    }

    private static byte[] readBody(InputStream in, Map<String, String> headers) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            while (true) {
                int size = Integer.parseInt(readLine(in).trim(), 16);
                if (size == 0) {
                    readLine(in);
                    break;
                }
                body.write(in.readNBytes(size));
                readLine(in);
            }
        } else if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        }
        return body.toByteArray();
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                int n = sb.length();
                if (n > 0 && sb.charAt(n - 1) == '\r') {
                    sb.setLength(n - 1);
                }
                return sb.toString();
            }
            sb.append((char) c);
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(socket);
    }
}
