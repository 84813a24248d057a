package keel.engine.rest.internal.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.Callback;

/**
 * A response finished after its route has returned, so that a long wait holds no thread (Jetty keeps the exchange
 * open until its callback completes). dockerd's wait sends the status line and headers as soon as it starts
 * waiting and the body when the condition holds; the docker CLI depends on that: {@code docker run} only starts
 * the container once the wait request has its response headers.
 *
 * <p>Writes do not block; the head and the body may be asked for from different threads and are sent in order.
 */
public final class DeferredResponse {
    private final ApiResponse out;
    private boolean headPending;
    private Runnable afterHead;

    DeferredResponse(ApiResponse out) {
        this.out = out;
    }

    /** Sends the status line and the headers now; the body follows chunked. */
    public void sendHead(int status, String contentType) {
        synchronized (this) {
            out.status(status);
            out.header(HttpHeader.CONTENT_TYPE.asString(), contentType);
            headPending = true;
        }
        out.write(false, null, Callback.from(this::headSent, this::fail));
    }

    private void headSent() {
        Runnable next;
        synchronized (this) {
            headPending = false;
            next = afterHead;
            afterHead = null;
        }
        if (next != null) {
            next.run();
        }
    }

    /**
     * Sends the body and completes the exchange; status and content type only count when the head has not been
     * sent.
     */
    public void finish(int status, String contentType, byte[] body) {
        Runnable last = () -> {
            if (!out.isCommitted()) {
                out.status(status);
                out.header(HttpHeader.CONTENT_TYPE.asString(), contentType);
                out.header(HttpHeader.CONTENT_LENGTH.asString(), Integer.toString(body.length));
            }
            if (out.take()) {
                out.write(true, body, out.callback());
            }
        };
        synchronized (this) {
            if (headPending) {
                afterHead = last;
                return;
            }
        }
        last.run();
    }

    /**
     * Runs {@code action} when the client goes away before the response is finished, as dockerd's handlers stop on
     * their request context's cancellation: what waits for the engine (a container's exit) must not outlive the
     * client, nor keep the exchange (the request, its parser) in memory for as long as the container runs.
     */
    public void onClientGone(Runnable action) {
        out.onFailure(action);
    }

    /** Fails the exchange: Docker's error response if nothing was sent yet, else the connection is aborted. */
    public void fail(Throwable t) {
        out.fail(t);
    }
}
