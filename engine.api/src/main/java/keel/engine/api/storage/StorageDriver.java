package keel.engine.api.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A storage driver, registered as an OSGi service by a driver bundle. The service must carry the
 * {@value #NAME_PROPERTY} property (a string, or several strings when the driver answers to aliases); the first
 * value is the name {@link #name()} returns and the one {@code docker info} shows.
 */
@ConsumerType
public interface StorageDriver {

    /** Service property naming the driver, as {@code --storage-driver} names it. */
    String NAME_PROPERTY = "driver.name";

    /** The driver's name, e.g. {@code overlay2} or {@code vfs}. */
    String name();

    /**
     * Whether this driver can work on this host with {@code home} as its directory: empty when it can, otherwise a
     * sentence saying why not (shown to the operator when the driver was asked for by name).
     */
    Optional<String> unsupportedReason(Path home);

    /**
     * Opens the driver's store rooted at {@code home}, creating the directory when needed. The engine opens a store
     * once and closes it when the driver or the engine goes away; an open store must find every layer an earlier
     * store left in {@code home}.
     *
     * @param options driver options from {@code --storage-opt} / daemon.json, without the driver prefix
     */
    LayerStore open(Path home, Map<String, String> options) throws IOException;
}
