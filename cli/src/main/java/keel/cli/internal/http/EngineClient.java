package keel.cli.internal.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import keel.cli.internal.json.JsonReader;

/**
 * The Docker Engine API as the CLI uses it. The first request negotiates the API version as docker's client does:
 * {@code HEAD /_ping} (then {@code GET /_ping} if HEAD is refused), read {@code Api-Version}, and prefix every
 * path with {@code /v<min(1.50, server)>}. {@code DOCKER_API_VERSION} / {@code KEEL_API_VERSION} pin the version
 * and skip the ping. The ping may run on a warm-up thread while the command line is parsed, hence the locking;
 * after that one thread uses the client.
 */
public final class EngineClient implements AutoCloseable {

    private final DaemonHost host;
    private String version;
    private boolean negotiated;
    private volatile HttpConnection idle;

    public EngineClient(DaemonHost host, String pinnedVersion) {
        this.host = host;
        if (pinnedVersion != null && !pinnedVersion.isEmpty()) {
            this.version = pinnedVersion.startsWith("v") ? pinnedVersion.substring(1) : pinnedVersion;
            this.negotiated = true;
        }
    }

    public DaemonHost host() {
        return host;
    }

    /** The API version in use (negotiating first if needed). */
    public synchronized String apiVersion() throws IOException {
        negotiate();
        return version;
    }

    /** The version without contacting the daemon (the default until negotiated). */
    public synchronized String currentVersion() {
        return version == null ? ClientVersion.API_VERSION : version;
    }

    public synchronized void negotiate() throws IOException {
        if (negotiated) {
            return;
        }
        HttpResponse ping;
        try {
            ping = send("HEAD", "/_ping", null, null, null, null);
        } catch (ConnectionFailedException e) {
            throw e;
        } catch (IOException e) {
            ping = null;
        }
        if (ping == null || (ping.status() != 200 && ping.status() != 500)) {
            if (ping != null) {
                ping.discard();
            }
            ping = send("GET", "/_ping", null, null, null, null);
        }
        String server = ping.header("Api-Version");
        if (server == null || server.isEmpty()) {
            server = ClientVersion.FALLBACK_API_VERSION;
        }
        version = ClientVersion.API_VERSION;
        if (ClientVersion.lessThan(server, version)) {
            version = server;
        }
        negotiated = true;
        check(ping, "/_ping");
        ping.discard();
        release(ping);
    }

    private String versioned(String path) {
        return "/v" + version + path;
    }

    /** Sends a request and fails with {@link DaemonException} on an error status. */
    public synchronized HttpResponse call(String method, String path, Query query, RequestBody body, String contentType,
            Map<String, String> headers) throws IOException {
        negotiate();
        String target = versioned(path);
        HttpResponse r = send(method, target, query, body, contentType, headers);
        check(r, target + (query == null || query.isEmpty() ? "" : "?" + query.encode()));
        return r;
    }

    public synchronized HttpResponse get(String path, Query query) throws IOException {
        return call("GET", path, query, null, null, null);
    }

    /** GET and parse a JSON body. */
    public synchronized Object getJson(String path, Query query) throws IOException {
        HttpResponse r = get(path, query);
        return readJson(r);
    }

    public synchronized Object readJson(HttpResponse r) throws IOException {
        byte[] body = r.readBody(Integer.MAX_VALUE);
        release(r);
        if (body.length == 0) {
            return null;
        }
        return JsonReader.parse(body);
    }

    /** Reads the body as text, then lets the connection serve the next request. */
    public synchronized byte[] readRaw(HttpResponse r) throws IOException {
        byte[] body = r.readBody(Integer.MAX_VALUE);
        release(r);
        return body;
    }

    private volatile HttpConnection current;

    private synchronized HttpResponse send(String method, String target, Query query, RequestBody body, String contentType,
            Map<String, String> headers) throws IOException {
        String fullTarget = target + (query == null || query.isEmpty() ? "" : "?" + query.encode());
        HttpConnection conn = idle;
        idle = null;
        if (conn != null && !conn.isReusable()) {
            conn.close();
            conn = null;
        }
        if (conn != null && body == null) {
            try {
                HttpResponse r = conn.exchange(method, fullTarget, headers, null, contentType);
                current = conn;
                return r;
            } catch (IOException stale) {
                // The daemon closed the idle connection; retry once on a fresh one.
                conn.close();
            }
        } else if (conn != null) {
            conn.close();
        }
        try {
            conn = HttpConnection.open(host);
        } catch (IOException e) {
            throw new ConnectionFailedException(host, e);
        }
        current = conn;
        try {
            return conn.exchange(method, fullTarget, headers, body, contentType);
        } catch (IOException e) {
            conn.close();
            throw new IOException("error during connect: " + method + " \"" + host.urlBase() + fullTarget + "\": "
                    + e.getMessage(), e);
        }
    }

    /** Marks the connection of a fully read response free for the next request. */
    public synchronized void release(HttpResponse r) {
        if (current != null && current.isReusable()) {
            if (idle != null) {
                idle.close();
            }
            idle = current;
        } else if (current != null) {
            current.close();
        }
        current = null;
    }

    /**
     * Turns an error status into docker's message: "Error response from daemon: " + the JSON message, the plain
     * text body, or the "check if the server supports the requested API version" sentence when the body is empty.
     */
    private void check(HttpResponse r, String target) throws IOException {
        int status = r.status();
        if (status >= 200 && status < 400) {
            return;
        }
        try {
            checkStatus(r, target);
        } finally {
            release(r);
        }
    }

    private void checkStatus(HttpResponse r, String target) throws IOException {
        int status = r.status();
        if (status >= 200 && status < 400) {
            return;
        }
        byte[] body = r.readBody(1024 * 1024 + 1);
        String url = host.urlBase() + target;
        if (body.length > 1024 * 1024) {
            throw new DaemonException(status, "request returned " + r.statusLine() + " with a message (> "
                    + (1024 * 1024) + " bytes) for API route and version " + url
                    + ", check if the server supports the requested API version");
        }
        if (body.length == 0) {
            throw new DaemonException(status, "request returned " + r.statusLine() + " for API route and version "
                    + url + ", check if the server supports the requested API version");
        }
        String contentType = r.header("Content-Type");
        String message;
        if (contentType != null && contentType.startsWith("application/json")) {
            Object parsed;
            try {
                parsed = JsonReader.parse(body);
            } catch (IOException e) {
                throw new DaemonException(status, "Error reading JSON: " + e.getMessage());
            }
            Object m = parsed instanceof Map ? ((Map<?, ?>) parsed).get("message") : null;
            if (!(m instanceof String) || ((String) m).isEmpty()) {
                throw new DaemonException(status, "Error response from daemon: API returned a " + status + " ("
                        + HttpResponse.StatusText.of(status) + ") but provided no error-message");
            }
            message = ((String) m).trim();
        } else {
            message = new String(body, StandardCharsets.UTF_8).trim();
        }
        throw new DaemonException(status, "Error response from daemon: " + message);
    }

    /**
     * A client for requests that run alongside this one's (a long-poll wait, a resize, a forwarded signal): the
     * same daemon and negotiated API version, its own connection, no second ping.
     */
    public synchronized EngineClient fork() throws IOException {
        negotiate();
        EngineClient c = new EngineClient(host, version);
        return c;
    }

    /**
     * POST that hands the connection over to a raw stream (attach, exec start), on a connection of its own:
     * {@code Connection: Upgrade} and {@code Upgrade: tcp} as docker's client sends them. Error statuses become
     * {@link DaemonException}s in docker's words.
     */
    public HijackedConnection hijack(String path, Query query, RequestBody body, String contentType,
            Map<String, String> headers) throws IOException {
        String target;
        synchronized (this) {
            negotiate();
            target = versioned(path) + (query == null || query.isEmpty() ? "" : "?" + query.encode());
        }
        HttpConnection conn;
        try {
            conn = HttpConnection.open(host);
        } catch (IOException e) {
            throw new ConnectionFailedException(host, e);
        }
        Map<String, String> all = new java.util.LinkedHashMap<>();
        if (headers != null) {
            all.putAll(headers);
        }
        all.put("Connection", "Upgrade");
        all.put("Upgrade", "tcp");
        HttpResponse r;
        try {
            r = conn.exchange("POST", target, all, body, contentType);
        } catch (IOException e) {
            conn.close();
            throw new IOException("error during connect: POST \"" + host.urlBase() + target + "\": "
                    + e.getMessage(), e);
        }
        if (r.status() == 101 || (r.status() >= 200 && r.status() < 300)) {
            return conn.hijacked(r);
        }
        try {
            checkStatus(r, target);
        } finally {
            conn.close();
        }
        throw new IOException("unexpected status " + r.statusLine());
    }

    /**
     * Closes the connections at once, without waiting for the lock: a thread blocked reading a long-poll answer
     * (a wait that the caller gave up on) gets an exception instead of holding everything up.
     */
    public void abort() {
        HttpConnection c = current;
        if (c != null) {
            c.close();
        }
        HttpConnection i = idle;
        if (i != null) {
            i.close();
        }
    }

    @Override
    public synchronized void close() {
        if (idle != null) {
            idle.close();
            idle = null;
        }
        if (current != null) {
            current.close();
            current = null;
        }
    }
}
