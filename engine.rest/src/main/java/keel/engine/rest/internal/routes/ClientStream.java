package keel.engine.rest.internal.routes;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.util.function.Function;

import keel.engine.api.container.Attachment;
import keel.engine.api.container.StreamSink;
import keel.engine.api.errors.EngineException;
import keel.engine.rest.internal.http.ApiRequest;
import keel.engine.rest.internal.http.ApiResponse;
import keel.engine.rest.internal.http.RawStreamConnection;

/**
 * Connects a client to a container's (or exec's) streams, for attach and exec start.
 *
 * <p>With {@code Upgrade} (the docker CLI always sends {@code Upgrade: tcp}) the connection is hijacked as dockerd
 * does: {@code 101 UPGRADED}, then raw bytes both ways on the socket; the handler thread returns at once and the
 * stream lives on in a {@link RawStreamConnection}. Without it (curl, simple HTTP clients) the answer is an ordinary
 * chunked 200 carrying the same framed output, and a request body, if any, is the process' stdin. dockerd hijacks
 * the socket in that case too and writes raw bytes after a 200 without length or chunking, which HTTP clients cannot
 * read; the chunked form is what they expect.
 *
 * <p>The engine is asked (attach, exec start) before anything is answered, so its refusals (no such container, a
 * paused container) keep their own status instead of arriving inside a stream.
 */
final class ClientStream {
    private static final System.Logger LOG = System.getLogger(ClientStream.class.getName());

    static final String RAW_STREAM = "application/vnd.docker.raw-stream";
    static final String MULTIPLEXED_STREAM = "application/vnd.docker.multiplexed-stream";

    private ClientStream() {}

    /**
     * The stream's media type: multiplexed (framed stdout and stderr) without a terminal since API 1.42; before,
     * dockerd called every stream raw whatever its framing.
     */
    static String mediaType(ApiRequest request, boolean tty) {
        return tty || request.version().before(1, 42) ? RAW_STREAM : MULTIPLEXED_STREAM;
    }

    /** @param open hands the sink to the engine and returns where the client's input goes */
    static void serve(ApiRequest request, ApiResponse response, boolean tty,
            Function<StreamSink, Attachment> open) throws Exception {
        serve(request, response, tty, open, false);
    }

    /**
     * @param errorsInStream whether a failure other than "not found" is reported inside the opened stream, as
     *                       dockerd does for exec start: it hijacks the connection, then starts the process, and
     *                       writes the runtime's error ({@code exec: "x": executable file not found in $PATH})
     *                       to the client's stdout; the exec's exit code (126, 127) is then in its inspect
     */
    static void serve(ApiRequest request, ApiResponse response, boolean tty, Function<StreamSink, Attachment> open,
            boolean errorsInStream) throws Exception {
        String mediaType = mediaType(request, tty);
        if (request.upgradeRequested()) {
            RawStreamConnection connection = response.rawStream();
            FramedStreamSink streamSink = new FramedStreamSink(connection.output(), tty);
            Attachment attachment;
            try {
                attachment = open.apply(streamSink);
            } catch (EngineException e) {
                if (!errorsInStream || e.kind() == EngineException.Kind.NOT_FOUND) {
                    throw e;
                }
                byte[] message = (e.getMessage() + "\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                streamSink.write(tty ? 0 : 1, message, 0, message.length);
                streamSink.end();
                connection.input(null);
                response.upgrade(connection, mediaType);
                return;
            }
            try {
                connection.input(attachment == null ? null : attachment.stdin());
                if (attachment != null) {
                    connection.whenClosed(attachment::close);
                }
                response.upgrade(connection, mediaType);
            } catch (RuntimeException e) {
                if (attachment != null) {
                    attachment.close();
                }
                throw e;
            }
            return;
        }
        OutputStream body = response.stream(200, mediaType);
        FramedStreamSink sink = new FramedStreamSink(body, tty);
        Attachment attachment = open.apply(sink);
        try {
            OutputStream stdin = attachment == null ? null : attachment.stdin();
            if (stdin != null && request.hasBody()) {
                try (InputStream in = request.body(); OutputStream target = stdin) {
                    in.transferTo(target);
                } catch (java.io.IOException e) {
                    LOG.log(Level.DEBUG, () -> "copying the request body to stdin stopped: " + e);
                }
            }
            // Blocking is the price of the plain-HTTP form; the CLI's hijacked streams hold no thread.
            sink.awaitEnd();
        } finally {
            if (attachment != null) {
                attachment.close();
            }
        }
    }
}
