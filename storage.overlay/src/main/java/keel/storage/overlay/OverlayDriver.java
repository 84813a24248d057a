package keel.storage.overlay;

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
import keel.storage.overlay.internal.JnrOverlayKernel;
import keel.storage.overlay.internal.MountApi;
import keel.storage.overlay.internal.OverlayKernel;
import keel.storage.overlay.internal.OverlayLayerStore;
import keel.storage.overlay.internal.OverlaySupportCheck;

/**
 * The {@code overlay2} storage driver (also answering to {@code overlay}, as Docker's old name for it): image layers
 * stacked as overlayfs lower directories, a container's changes in the upper one.
 */
@Component(service = StorageDriver.class,
        property = {StorageDriver.NAME_PROPERTY + "=overlay2", StorageDriver.NAME_PROPERTY + "=overlay"})
public final class OverlayDriver implements StorageDriver {

    private final LayerArchiver archiver;
    private final OverlayKernel kernel;
    private final MountApi mountApi;

    @Activate
    public OverlayDriver(@Reference(name = "archiver") LayerArchiver archiver) {
        this(archiver, new JnrOverlayKernel(), MountApi.AUTO);
    }

    /** For tests: another kernel boundary, or mount(2) forced. */
    public OverlayDriver(LayerArchiver archiver, OverlayKernel kernel, MountApi mountApi) {
        this.archiver = archiver;
        this.kernel = kernel;
        this.mountApi = mountApi;
    }

    @Override
    public String name() {
        return "overlay2";
    }

    @Override
    public Optional<String> unsupportedReason(Path home) {
        return new OverlaySupportCheck(kernel, archiver).reason(home);
    }

    @Override
    public LayerStore open(Path home, Map<String, String> options) throws IOException {
        if (!options.isEmpty()) {
            // Docker's overlay2.size needs xfs project quotas, which Keel does not manage; refuse, never ignore.
            throw EngineException.invalid("overlay2: unknown storage option " + options.keySet().iterator().next()
                    + " (the overlay2 driver takes no options)");
        }
        return OverlayLayerStore.open(home, archiver, kernel, mountApi);
    }
}
