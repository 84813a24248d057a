package keel.engine.api.network;

import java.io.IOException;
import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A network driver, registered as a service with the {@value #NAME_PROPERTY} property ({@code bridge},
 * {@code none}, ...). The engine calls it to create and delete networks and to connect containers to them;
 * every call describes the whole network, so a driver may keep no state of its own beyond the kernel's.
 */
@ConsumerType
public interface NetworkDriver {

    String NAME_PROPERTY = "driver.name";

    String name();

    /** Creates the kernel side of a network (e.g. a Linux bridge and its NAT rules). Idempotent. */
    void createNetwork(NetworkSpec network) throws IOException;

    /** Removes what {@link #createNetwork} made. Idempotent. */
    void deleteNetwork(NetworkSpec network) throws IOException;

    /**
     * Connects a container's sandbox to the network: creates and configures its interface inside the sandbox
     * (address, routes, MTU) and whatever the host side needs (veth peer on the bridge, port mappings).
     */
    EndpointResult join(NetworkSpec network, EndpointSpec endpoint, Sandbox sandbox) throws IOException;

    /** Undoes {@link #join}; the sandbox may already be gone (the container exited). Idempotent. */
    void leave(NetworkSpec network, EndpointSpec endpoint, Sandbox sandbox) throws IOException;

    /**
     * Called once when the driver is available at daemon start with every network of this driver and every
     * endpoint that should exist, so that kernel state lost or left over (after a crash) is repaired: missing
     * bridges and rules made again, stray ones removed.
     */
    default void restore(List<NetworkSpec> networks, List<EndpointSpec> endpoints) throws IOException {}
}
