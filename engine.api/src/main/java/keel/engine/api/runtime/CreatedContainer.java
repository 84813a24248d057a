package keel.engine.api.runtime;

import java.io.IOException;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A container in the OCI "created" state: its namespaces, cgroups and root filesystem are made and its process
 * waits just before it runs the bundle's executable. Exactly one of {@link #start} and {@link #discard} is called,
 * once.
 */
@ConsumerType
public interface CreatedContainer {

    /**
     * Lets the process run the executable; returns once it does, and fails as {@link ContainerRuntime#start} would
     * (a failure while the container was created is reported here too). A failed start leaves nothing behind.
     */
    RunningContainer start() throws IOException;

    /** Kills the waiting process and removes what the creation made: the container never ran. Never throws. */
    void discard();
}
