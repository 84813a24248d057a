package keel.engine.core.internal.network.dns;

import java.io.Closeable;
import java.io.IOException;

import keel.engine.api.network.Sandbox;

/** The embedded DNS server as the engine drives it: serving a container's namespace, or no longer. */
public interface ContainerDns extends Closeable {

    /** Serves the container at 127.0.0.11:53 in its namespace (replacing what served it before). */
    void open(String containerId, Sandbox sandbox) throws IOException;

    /** Stops serving the container; nothing when it was not served. */
    void close(String containerId);

    boolean isOpen(String containerId);

    /** Stops serving everyone. */
    @Override
    void close();
}
