package keel.engine.rest.internal.http;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.channels.ClosedChannelException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

import keel.engine.api.errors.EngineException;
import keel.engine.rest.internal.json.DockerJson;

/**
 * The Docker Engine API front door: strips and negotiates the {@code /v1.NN} prefix, stamps the headers dockerd
 * puts on every response, dispatches to a route and turns failures into {@code {"message": ...}} with the status
 * of their kind. Handlers block (the default invocation type of {@link Handler.Abstract}): image loads and saves
 * stream for minutes and Jetty's pool is sized for it. What would hold a thread for the life of a container does
 * not: a wait defers its answer and an attach or exec hands the socket over (see {@link ApiResponse}).
 */
public final class DockerApiHandler extends Handler.Abstract {
    private static final System.Logger LOG = System.getLogger(DockerApiHandler.class.getName());

    /** dockerd's {@code /v{version:[0-9.]+}}: a prefix that does not look like a version is part of the path. */
    private static final Pattern VERSION_PREFIX = Pattern.compile("/v([0-9.]+)(/.*)");

    /** Go's net/http: maxPostHandlerReadBytes. */
    static final long DISCARD_LIMIT = 256 * 1024;

    private final Router router;
    private final DockerJson json;
    private final Supplier<String> serverVersion;

    /**
     * @param serverVersion the engine version for the {@code Server} header; called per request, so it must be
     *        cheap (cache it)
     */
    public DockerApiHandler(Router router, DockerJson json, Supplier<String> serverVersion) {
        this.router = router;
        this.json = json;
        this.serverVersion = serverVersion;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        stamp(response.getHeaders(), serverVersion.get());
        ApiResponse out = new ApiResponse(request, response, callback, json);
        String method = request.getMethod();
        String fullPath = Request.getPathInContext(request);
        Matcher m = VERSION_PREFIX.matcher(fullPath);
        String requested = m.matches() ? m.group(1) : null;
        String path = m.matches() ? m.group(2) : fullPath;
        out.onFailure(t -> fail(method, path, out, t));
        try {
            // Like dockerd (whose version check wraps each route), an unknown path is a 404 whatever its version.
            Optional<Router.Match> match = router.find(method, path);
            if (match.isEmpty()) {
                throw EngineException.notFound("page not found");
            }
            ApiVersion version = ApiVersion.negotiate(requested);
            Route route = match.get().route();
            if (version.before(route.since())) {
                throw EngineException.invalid(method + " " + route.pattern() + " requires API version "
                        + route.since() + " or later, the client asked for " + version);
            }
            ApiRequest apiRequest = new ApiRequest(method, path, version, match.get().variables(),
                    query(request), name -> request.getHeaders().get(name),
                    () -> Content.Source.asInputStream(request));
            route.handler().handle(apiRequest, out);
            // A deferred response completes when its route finishes it, maybe long after this thread is gone.
            if (!out.isDeferred()) {
                if (!out.isUpgrading()) {
                    discardUnreadBody(request);
                }
                out.complete();
            }
        } catch (Throwable t) {
            if (!out.isUpgrading()) {
                discardUnreadBody(request);
            }
            out.fail(t);
        }
        return true;
    }

    /**
     * A body the route did not read (the "{}" the CLI may send with a start, a refused config): like Go's HTTP
     * server, read and drop up to {@value #DISCARD_LIMIT} bytes of it before answering, so the client is not cut off
     * while still sending and can read the answer on a connection that stays usable. Larger or chunked leftovers
     * are left to Jetty, which closes the connection.
     */
    private static void discardUnreadBody(Request request) {
        long length = request.getLength();
        if (length <= 0 || length > DISCARD_LIMIT) {
            return;
        }
        try (InputStream rest = Content.Source.asInputStream(request)) {
            byte[] sink = new byte[8192];
            while (rest.read(sink) >= 0) {
                // dropped
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, () -> "discarding an unread request body failed: " + e);
        }
    }

    /** The headers dockerd puts on every response, errors included. */
    static void stamp(HttpFields.Mutable headers, String engineVersion) {
        headers.put(HttpHeader.SERVER, "Keel/" + engineVersion + " (linux)");
        headers.put("Api-Version", ApiVersion.MAXIMUM.toString());
        headers.put("Docker-Experimental", "false");
        headers.put("Ostype", "linux");
    }

    private static Map<String, List<String>> query(Request request) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        Fields fields;
        try {
            fields = Request.extractQueryParameters(request);
        } catch (RuntimeException e) {
            throw EngineException.invalid("malformed query string: " + e.getMessage(), e);
        }
        for (Fields.Field f : fields) {
            query.put(f.getName(), List.copyOf(f.getValues()));
        }
        return query;
    }

    /** A write failed because the client closed the connection: its business, not an engine error. */
    private static boolean clientWentAway(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof EofException || c instanceof ClosedChannelException) {
                return true;
            }
        }
        return false;
    }

    /** Reports a failure once: the exchange may already be complete (a deferred response the client left). */
    private void fail(String method, String path, ApiResponse out, Throwable t) {
        int status = ErrorStatus.of(t);
        String message = ErrorStatus.message(t);
        if (!out.take()) {
            LOG.log(Level.DEBUG, () -> method + " " + path + ": failure after the response completed: " + message);
            return;
        }
        Callback callback = out.callback();
        if (clientWentAway(t)) {
            LOG.log(Level.DEBUG, () -> method + " " + path + ": client went away: " + message);
        } else if (status == 500) {
            // Only the unexpected gets a stack trace; 501 and 503 are states the message explains.
            LOG.log(Level.ERROR, () -> method + " " + path + " failed: " + message, t);
        } else {
            LOG.log(Level.DEBUG, () -> method + " " + path + ": " + status + " " + message);
        }
        if (out.isCommitted()) {
            // The status line is gone: aborting the connection is the only way left to tell the client the body
            // is incomplete (a truncated tar must not look like a whole one).
            callback.failed(t);
            return;
        }
        try {
            if (status == 304) {
                out.status(304);
            } else {
                out.json(status, Map.of("message", message));
            }
            callback.succeeded();
        } catch (Throwable x) {
            x.addSuppressed(t);
            callback.failed(x);
        }
    }
}
