package keel.storage.vfs;

import keel.engine.api.storage.LayerArchiver;
import keel.engine.api.storage.StorageDriver;
import keel.engine.archive.internal.TarLayerArchiver;
import keel.storage.tck.StorageDriverConformance;

/** The vfs driver against the shared conformance suite. */
class VfsConformanceTest extends StorageDriverConformance {

    private final LayerArchiver archiver = new TarLayerArchiver();

    @Override
    protected StorageDriver newDriver() {
        return new VfsDriver(archiver);
    }

    @Override
    protected LayerArchiver archiver() {
        return archiver;
    }
}
