package keel.storage.overlay;

import keel.engine.api.storage.LayerArchiver;
import keel.engine.api.storage.StorageDriver;
import keel.engine.archive.internal.TarLayerArchiver;
import keel.storage.overlay.internal.JnrOverlayKernel;
import keel.storage.overlay.internal.MountApi;
import keel.storage.tck.StorageDriverConformance;

/**
 * overlay2 against the shared conformance suite with mount(2) forced, as on kernels before 6.8: the one-page limit
 * of its options is what the 150-layer chain of the suite exercises.
 */
class OverlayLegacyMountConformanceTest extends StorageDriverConformance {

    private final LayerArchiver archiver = new TarLayerArchiver();

    @Override
    protected StorageDriver newDriver() {
        return new OverlayDriver(archiver, new JnrOverlayKernel(), MountApi.LEGACY);
    }

    @Override
    protected LayerArchiver archiver() {
        return archiver;
    }
}
