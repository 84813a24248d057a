package keel.storage.overlay;

import keel.engine.api.storage.LayerArchiver;
import keel.engine.api.storage.StorageDriver;
import keel.engine.archive.internal.TarLayerArchiver;
import keel.storage.overlay.internal.JnrOverlayKernel;
import keel.storage.overlay.internal.MountApi;
import keel.storage.tck.StorageDriverConformance;

/** overlay2 against the shared conformance suite, mounting with the new mount API where the kernel has it. */
class OverlayConformanceTest extends StorageDriverConformance {

    private final LayerArchiver archiver = new TarLayerArchiver();

    @Override
    protected StorageDriver newDriver() {
        return new OverlayDriver(archiver, new JnrOverlayKernel(), MountApi.AUTO);
    }

    @Override
    protected LayerArchiver archiver() {
        return archiver;
    }
}
