package keel.engine.core.internal.storage;

import java.nio.file.Path;

import keel.engine.api.storage.LayerStore;

/**
 * The storage driver the engine uses now, chosen by {@code storage.driver} (or overlay2 where the kernel supports
 * it, vfs otherwise) among the registered {@link keel.engine.api.storage.StorageDriver} services. The driver may
 * come and go while the daemon runs (a plugin bundle installed, updated or removed); the store it holds stays on
 * disk and is reopened when a driver of that name returns.
 */
public interface ActiveStorage {

    /** The name of the driver in use (or wanted, while it is missing). */
    String driverName();

    /**
     * The open store of the driver in use.
     *
     * @throws keel.engine.api.errors.EngineException of kind UNAVAILABLE when the driver is not registered now
     */
    LayerStore store();

    /** Whether the driver is registered and its store open. */
    boolean available();

    /** Where the engine keeps image and layer metadata for this driver: {@code <data-root>/image/<driver>}. */
    Path metadataRoot();
}
