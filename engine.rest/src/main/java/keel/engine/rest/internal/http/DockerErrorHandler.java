package keel.engine.rest.internal.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.function.Supplier;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import keel.engine.rest.internal.json.DockerJson;

/**
 * Errors Jetty answers before a request reaches the API (a URI with an encoded slash, headers too large, a
 * malformed request line) in Docker's shape, {@code {"message": ...}}, instead of Jetty's HTML page: the docker
 * CLI prints the message of a JSON error and would dump the HTML otherwise.
 */
public final class DockerErrorHandler extends ErrorHandler {
    private final DockerJson json;
    private final Supplier<String> serverVersion;

    public DockerErrorHandler(DockerJson json, Supplier<String> serverVersion) {
        this.json = json;
        this.serverVersion = serverVersion;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
            Callback callback) throws IOException {
        DockerApiHandler.stamp(response.getHeaders(), serverVersion.get());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, ApiResponse.JSON);
        response.write(true, ByteBuffer.wrap(body(code, message)), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        DockerApiHandler.stamp(fields, serverVersion.get());
        fields.put(HttpHeader.CONTENT_TYPE, ApiResponse.JSON);
        return ByteBuffer.wrap(body(status, reason));
    }

    private byte[] body(int status, String message) {
        String text = message == null || message.isBlank() ? HttpStatus.getMessage(status) : message;
        return json.write(Map.of("message", text));
    }
}
