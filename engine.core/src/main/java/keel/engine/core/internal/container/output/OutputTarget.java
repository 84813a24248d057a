package keel.engine.core.internal.container.output;

import keel.engine.api.logging.LogEntry;

/**
 * Where the pump delivers one container's output: its log, and the clients attached to it. Called only from the
 * pump's thread; no method may block on a client.
 */
public interface OutputTarget {

    /** One message for the container's log, in order per stream. */
    void log(LogEntry entry);

    /**
     * Bytes as read, for attached clients: {@code stream} is 1 (stdout) or 2 (stderr), or 0 for a terminal. The
     * array is the pump's buffer: copy what you keep.
     */
    void raw(int stream, byte[] data, int offset, int length);

    /**
     * Whether an attached client is too far behind; the pump then leaves this container's spools alone (they are
     * files: the container is not held up) until {@link OutputPump#wake} is called.
     */
    boolean throttled();

    /** The container has exited and a client has not caught up for a while: detach the clients that are behind. */
    void dropSlowClients();
}
