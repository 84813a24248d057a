package keel.engine.api.logging;

import java.io.IOException;

import org.osgi.annotation.versioning.ProviderType;

/** Receives entries read back from a log; implemented by the engine. */
@ProviderType
public interface LogSink {

    /** Takes one entry; returns false to stop reading (the client went away). */
    boolean accept(LogEntry entry) throws IOException;

    /** Whether a follow should keep waiting for new entries (false once the container has stopped). */
    boolean following();
}
