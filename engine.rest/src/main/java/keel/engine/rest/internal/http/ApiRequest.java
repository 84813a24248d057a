package keel.engine.rest.internal.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import keel.engine.api.errors.EngineException;
import keel.engine.rest.internal.json.Filters;

/**
 * What a route sees of a request: the negotiated API version, path variables, query parameters (multi-valued, as
 * Docker sends {@code names=a&names=b}) and the body as a stream that is read as the route consumes it, never
 * buffered whole (image archives are gigabytes).
 */
public final class ApiRequest {
    private final String method;
    private final String path;
    private final ApiVersion version;
    private final Map<String, String> variables;
    private final Map<String, List<String>> query;
    private final Function<String, String> headers;
    private final Supplier<InputStream> body;

    public ApiRequest(String method, String path, ApiVersion version, Map<String, String> variables,
            Map<String, List<String>> query, Function<String, String> headers, Supplier<InputStream> body) {
        this.method = method;
        this.path = path;
        this.version = version;
        this.variables = variables;
        this.query = query;
        this.headers = headers;
        this.body = body;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    public ApiVersion version() {
        return version;
    }

    /** A path variable of the route, e.g. {@code name} in {@code /images/{name}/json}. */
    public String variable(String name) {
        String v = variables.get(name);
        if (v == null) {
            throw new IllegalStateException("route has no variable " + name);
        }
        return v;
    }

    /** The first value of a query parameter, or null when absent. */
    public String param(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** The first value of a query parameter, or {@code fallback} when absent or empty. */
    public String param(String name, String fallback) {
        String v = param(name);
        return v == null || v.isEmpty() ? fallback : v;
    }

    /** Every value of a repeated query parameter ({@code changes=...&changes=...}); empty when absent. */
    public List<String> params(String name) {
        return query.getOrDefault(name, List.of());
    }

    /**
     * A boolean query parameter. dockerd reads anything but {@code "", 0, no, false, none} as true, so
     * {@code force=maybe} would force; Keel refuses values it cannot read instead of guessing.
     */
    public boolean bool(String name, boolean fallback) {
        String v = param(name);
        if (v == null) {
            return fallback;
        }
        switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "", "0", "no", "false", "none", "off":
                return false;
            case "1", "yes", "true", "on":
                return true;
            default:
                throw EngineException.invalid("invalid boolean value for " + name + ": \"" + v
                        + "\" (use 1/0 or true/false)");
        }
    }

    /** An integer query parameter; absent or empty gives {@code fallback}. */
    public int integer(String name, int fallback) {
        String v = param(name);
        if (v == null || v.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw EngineException.invalid("invalid integer value for " + name + ": \"" + v + "\"");
        }
    }

    /** The {@code filters} parameter in either of Docker's JSON forms. */
    public Map<String, List<String>> filters() {
        return Filters.parse(param("filters"));
    }

    public String header(String name) {
        return headers.apply(name);
    }

    /** The request body, read as it arrives. */
    public InputStream body() {
        return body.get();
    }

    /**
     * A small body (a JSON document) read whole; larger than {@code max} bytes is refused rather than buffered.
     * Reading to its end also leaves the connection ready to be taken over (attach, exec start).
     */
    public byte[] bodyBytes(int max) throws IOException {
        long length = contentLength();
        if (length > max) {
            throw EngineException.invalid("request body too large: at most " + max + " bytes");
        }
        if (length >= 0) {
            // Exactly the declared bytes, and no read past them: the docker CLI writes stdin right behind the body
            // of a hijacked request (exec start), and asking for more (to see the end of the body) would make the
            // HTTP parser take those bytes for the next request and answer 400 instead of upgrading.
            return body.get().readNBytes((int) length);
        }
        try (InputStream in = body.get()) {
            byte[] b = in.readNBytes(max + 1);
            if (b.length > max) {
                throw EngineException.invalid("request body too large: at most " + max + " bytes");
            }
            return b;
        }
    }

    /** Whether the client sent (or is sending) a body: a positive Content-Length, or chunks. */
    public boolean hasBody() {
        String te = header("Transfer-Encoding");
        if (te != null && !te.isBlank()) {
            return true;
        }
        String cl = header("Content-Length");
        try {
            return cl != null && Long.parseLong(cl.trim()) > 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The declared body length, -1 when unknown (chunked) or 0 when there is none. */
    public long contentLength() {
        String te = header("Transfer-Encoding");
        if (te != null && !te.isBlank()) {
            return -1;
        }
        String cl = header("Content-Length");
        try {
            return cl == null ? 0 : Long.parseLong(cl.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Whether the client wants the connection hijacked: dockerd only looks for the Upgrade header ({@code tcp} from
     * the docker CLI); without it attach and exec answer a 200 stream.
     */
    public boolean upgradeRequested() {
        return header("Upgrade") != null;
    }
}
