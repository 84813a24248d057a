package keel.engine.rest.internal.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.TunnelSupport;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

import keel.engine.api.errors.EngineException;
import keel.engine.rest.internal.json.DockerJson;

/**
 * How a route answers. Writes block (handlers run on Jetty's pool with the blocking invocation type), so a
 * streamed answer goes out as the route produces it and back-pressure reaches the producer. Two ways out of the
 * usual request/response: {@link #deferred()} answers later without holding a thread (wait), and
 * {@link #upgrade} hands the socket over to a {@link RawStreamConnection} (attach, exec start).
 */
public final class ApiResponse {
    public static final String JSON = "application/json";

    private final Request request;
    private final Response response;
    private final Callback callback;
    private final DockerJson json;
    private final AtomicBoolean completed = new AtomicBoolean();
    private Consumer<Throwable> failure;
    private DeferredResponse deferred;
    private boolean upgrading;

    public ApiResponse(Request request, Response response, Callback callback, DockerJson json) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.json = json;
    }

    /** How the front door reports a failure (Docker's error body, or an aborted connection once committed). */
    void onFailure(Consumer<Throwable> reporter) {
        this.failure = reporter;
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

    /**
     * Answers later: the route returns at once and the exchange stays open, without a thread, until the returned
     * response is finished or failed (from any thread). What the route throws after this still fails it.
     */
    public DeferredResponse deferred() {
        if (deferred == null) {
            deferred = new DeferredResponse(this);
        }
        return deferred;
    }

    boolean isDeferred() {
        return deferred != null;
    }

    /**
     * Runs {@code action} if the exchange fails before it completes (the client closed its connection): Jetty's
     * failure listener, for what waits on the engine on the client's behalf.
     */
    void onFailure(Runnable action) {
        request.addFailureListener(failure -> action.run());
    }

    /** Whether the socket is to be handed over: what follows the request head is the client's stdin then. */
    boolean isUpgrading() {
        return upgrading;
    }

    /**
     * A connection to take the socket over with {@link #upgrade}; nothing changes until then, so a route can build
     * its output on it, ask the engine, and still fail with an ordinary error response.
     */
    public RawStreamConnection rawStream() {
        TunnelSupport tunnel = request.getTunnelSupport();
        if (tunnel == null || request.getConnectionMetaData().getHttpVersion() != HttpVersion.HTTP_1_1) {
            throw EngineException.invalid("hijacking the connection (Upgrade: tcp) needs HTTP/1.1");
        }
        EndPoint endPoint = tunnel.getEndPoint();
        return new RawStreamConnection(endPoint, request.getConnectionMetaData().getConnector().getExecutor());
    }

    /**
     * Answers {@code 101 UPGRADED} with dockerd's headers ({@code Connection: Upgrade}, {@code Upgrade: tcp}) and
     * the stream's media type; when the route returns, Jetty sends the head and gives the socket to
     * {@code connection} ({@link HttpStream#UPGRADE_CONNECTION_ATTRIBUTE}, the mechanism of Jetty's WebSocket and
     * CONNECT tunnels). Jetty would write the reason as "Switching Protocols"; the stream is wrapped so the status
     * line reads exactly as dockerd's.
     */
    public void upgrade(RawStreamConnection connection, String contentType) {
        upgrading = true;
        response.setStatus(HttpStatus.SWITCHING_PROTOCOLS_101);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONNECTION, "Upgrade");
        response.getHeaders().put(HttpHeader.UPGRADE, "tcp");
        request.addHttpStreamWrapper(stream -> new HttpStream.Wrapper(stream) {
            @Override
            public void send(MetaData.Request rq, MetaData.Response rs, boolean last, ByteBuffer content,
                    Callback cb) {
                if (rs != null && rs.getStatus() == HttpStatus.SWITCHING_PROTOCOLS_101) {
                    rs = new MetaData.Response(rs.getStatus(), "UPGRADED", rs.getHttpVersion(), rs.getHttpFields(),
                            rs.getContentLength(), rs.getTrailersSupplier());
                }
                super.send(rq, rs, last, content, cb);
            }

            @Override
            public void failed(Throwable x) {
                // The 101 never made it (the client left): the stream will never open; let go of the container.
                connection.abandonUnopened();
                super.failed(x);
            }
        });
        request.setAttribute(HttpStream.UPGRADE_CONNECTION_ATTRIBUTE, connection);
    }

    /** Ends the exchange successfully, once. */
    void complete() {
        if (completed.compareAndSet(false, true)) {
            callback.succeeded();
        }
    }

    /** Ends the exchange with a failure, once: Docker's error body while possible, else an aborted connection. */
    void fail(Throwable t) {
        if (completed.get()) {
            return;
        }
        if (upgrading) {
            // Cancel a switch to a raw stream that was set up before the failure: the answer is an error now.
            upgrading = false;
            request.removeAttribute(HttpStream.UPGRADE_CONNECTION_ATTRIBUTE);
            response.getHeaders().remove(HttpHeader.CONNECTION);
            response.getHeaders().remove(HttpHeader.UPGRADE);
        }
        failure.accept(t);
    }

    /** For the front door's error reporting: the exchange's callback, taken at most once. */
    boolean take() {
        return completed.compareAndSet(false, true);
    }

    Callback callback() {
        return callback;
    }

    /** Writes without blocking; {@code done} hears when the bytes are gone. */
    void write(boolean last, byte[] body, Callback done) {
        response.write(last, body == null ? BufferUtil.EMPTY_BUFFER : ByteBuffer.wrap(body), done);
    }
}
