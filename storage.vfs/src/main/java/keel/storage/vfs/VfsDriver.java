package keel.storage.vfs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import keel.engine.api.errors.EngineException;
import keel.engine.api.storage.LayerArchiver;
import keel.engine.api.storage.LayerStore;
import keel.engine.api.storage.StorageDriver;
import keel.storage.vfs.internal.VfsLayerStore;

/**
 * The {@code vfs} storage driver: every layer is a full copy of its tree. Slow and large, but it needs nothing from
 * the kernel or the filesystem, so it is the driver of last resort (as in Docker).
 */
@Component(service = StorageDriver.class, property = StorageDriver.NAME_PROPERTY + "=vfs")
public final class VfsDriver implements StorageDriver {

    private final LayerArchiver archiver;

    @Activate
    public VfsDriver(@Reference(name = "archiver") LayerArchiver archiver) {
        this.archiver = archiver;
    }

    @Override
    public String name() {
        return "vfs";
    }

    @Override
    public Optional<String> unsupportedReason(Path home) {
        return Optional.empty();
    }

    @Override
    public LayerStore open(Path home, Map<String, String> options) throws IOException {
        if (!options.isEmpty()) {
            // Docker's vfs knows only "size", which needs project quotas; refuse rather than silently ignore.
            throw EngineException.invalid("vfs: unknown storage option " + options.keySet().iterator().next()
                    + " (the vfs driver takes no options)");
        }
        return VfsLayerStore.open(home, archiver);
    }
}
