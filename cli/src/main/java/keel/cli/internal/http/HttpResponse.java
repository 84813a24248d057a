package keel.cli.internal.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/** A response: status, headers (names lower-cased) and the body as a stream that decodes the framing. */
public final class HttpResponse {

    private final int status;
    private final String reason;
    private final Map<String, String> headers;
    private final InputStream body;

    HttpResponse(int status, String reason, Map<String, String> headers, InputStream body) {
        this.status = status;
        this.reason = reason;
        this.headers = headers;
        this.body = body;
    }

    public int status() {
        return status;
    }

    /** "404 Not Found", as Go's Response.Status. */
    public String statusLine() {
        return status + " " + (reason == null || reason.isEmpty() ? StatusText.of(status) : reason);
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public InputStream body() {
        return body;
    }

    public byte[] readBody(int max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = new byte[8192];
        int n;
        while ((n = body.read(b)) > 0) {
            if (out.size() < max) {
                out.write(b, 0, Math.min(n, max - out.size()));
            }
        }
        return out.toByteArray();
    }

    public String readText() throws IOException {
        return new String(readBody(Integer.MAX_VALUE), StandardCharsets.UTF_8);
    }

    /** Reads and drops the rest of the body so the connection can carry the next request. */
    public void discard() throws IOException {
        byte[] b = new byte[8192];
        while (body.read(b) > 0) {
            // drain
        }
    }

    /** Go's http.StatusText for the codes a daemon sends. */
    static final class StatusText {
        static String of(int code) {
            switch (code) {
                case 200: return "OK";
                case 201: return "Created";
                case 204: return "No Content";
                case 304: return "Not Modified";
                case 400: return "Bad Request";
                case 401: return "Unauthorized";
                case 403: return "Forbidden";
                case 404: return "Not Found";
                case 405: return "Method Not Allowed";
                case 406: return "Not Acceptable";
                case 409: return "Conflict";
                case 413: return "Request Entity Too Large";
                case 415: return "Unsupported Media Type";
                case 500: return "Internal Server Error";
                case 501: return "Not Implemented";
                case 503: return "Service Unavailable";
                default: return "";
            }
        }
    }
}
