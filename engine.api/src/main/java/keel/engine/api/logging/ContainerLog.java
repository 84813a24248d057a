package keel.engine.api.logging;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A container's log as opened by a driver. {@link #write} is called by one thread per container, in order; it must
 * not wait for readers. Readers may come at any time, also while the container runs.
 */
@ConsumerType
public interface ContainerLog extends Closeable {

    void write(LogEntry entry) throws IOException;

    /** Whether {@link #read} works ({@code docker logs} refuses drivers that cannot read back, like none). */
    boolean readable();

    /**
     * Reads entries that match {@code options} into {@code sink}, oldest first. With {@code follow}, keeps
     * delivering new entries until the sink asks to stop or {@link LogReadOptions#until} passes; the engine closes
     * a follow when the container stops.
     */
    void read(LogReadOptions options, LogSink sink) throws IOException;

    /** The file {@code docker inspect} shows as LogPath, or null. */
    Path path();

    /** Deletes the log (the container is being removed). */
    void remove() throws IOException;
}
