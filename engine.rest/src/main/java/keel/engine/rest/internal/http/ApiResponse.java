package keel.engine.rest.internal.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;

import keel.engine.rest.internal.json.DockerJson;

/**
 * How a route answers. Writes block (handlers run on Jetty's pool with the blocking invocation type), so a
 * streamed answer goes out as the route produces it and back-pressure reaches the producer.
 */
public final class ApiResponse {
    public static final String JSON = "application/json";

    private final Response response;
    private final DockerJson json;

    public ApiResponse(Response response, DockerJson json) {
        this.response = response;
        this.json = json;
    }

    public ApiResponse header(String name, String value) {
        response.getHeaders().put(name, value);
        return this;
    }

    public ApiResponse addHeader(String name, String value) {
        response.getHeaders().add(name, value);
        return this;
    }

    /** A JSON document, newline-terminated as Go's json.Encoder writes it. */
    public void json(int status, Object value) throws IOException {
        byte[] body = json.write(value);
        bytes(status, JSON, body);
    }

    /** A short body in one piece, with its Content-Length. */
    public void bytes(int status, String contentType, byte[] body) throws IOException {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        // One last write: the client may hang up as soon as it has Content-Length bytes, so no separate close.
        try (Blocker.Callback done = Blocker.callback()) {
            response.write(true, ByteBuffer.wrap(body), done);
            done.block();
        }
    }

    public void text(int status, String text) throws IOException {
        bytes(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    /** No body: 201 after a tag, 204 after a plugin create, 200 after enable. */
    public void status(int status) {
        response.setStatus(status);
    }

    /**
     * Starts a body of unknown length (sent chunked). Nothing reaches the client until the first write or flush,
     * so a route can still fail with a proper status before it has produced anything.
     */
    public OutputStream stream(int status, String contentType) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        return Content.Sink.asOutputStream(response);
    }

    /** Whether the status line and headers are on their way: from then on an error can only abort the body. */
    public boolean isCommitted() {
        return response.isCommitted();
    }

    public DockerJson json() {
        return json;
    }
}
