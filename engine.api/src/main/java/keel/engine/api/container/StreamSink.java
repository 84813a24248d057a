package keel.engine.api.container;

import java.io.IOException;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives a container's (or exec's) output for an attached client or a log read. {@code stream} is 1 for stdout
 * and 2 for stderr (0 for a terminal's single stream), as Docker's stream framing numbers them. Calls come from
 * one thread at a time, in order.
 */
@ConsumerType
public interface StreamSink {

    /** Delivers bytes; returns false when the client is gone and no more should be sent. */
    boolean write(int stream, byte[] data, int offset, int length) throws IOException;

    /**
     * Sends what was written so far. A sink may hold writes back to send them together (a log read back delivers
     * a million small lines); the engine calls this whenever it has no more output at hand, so a prompt without a
     * newline still reaches the user at once.
     */
    default void flush() throws IOException {}

    /** The output ended (the process exited, or the log read is complete). */
    void end() throws IOException;
}
