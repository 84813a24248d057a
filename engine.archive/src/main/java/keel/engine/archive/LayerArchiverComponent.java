package keel.engine.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;

import org.osgi.service.component.annotations.Component;

import keel.engine.api.storage.LayerArchiver;
import keel.engine.api.storage.WhiteoutFormat;
import keel.engine.archive.internal.TarLayerArchiver;

/** Registers the engine's {@link LayerArchiver} service: a {@link TarLayerArchiver} with default limits. */
@Component(service = LayerArchiver.class)
public final class LayerArchiverComponent implements LayerArchiver {

    private final LayerArchiver archiver = new TarLayerArchiver();

    @Override
    public long extract(InputStream tar, Path dir, WhiteoutFormat format) throws IOException {
        return archiver.extract(tar, dir, format);
    }

    @Override
    public void writeTree(Path dir, WhiteoutFormat format, OutputStream tar) throws IOException {
        archiver.writeTree(dir, format, tar);
    }

    @Override
    public void writeChanges(Path lower, Path upper, OutputStream tar) throws IOException {
        archiver.writeChanges(lower, upper, tar);
    }

    @Override
    public void copyTree(Path source, Path target) throws IOException {
        archiver.copyTree(source, target);
    }

    @Override
    public void removeTree(Path tree) throws IOException {
        archiver.removeTree(tree);
    }

    @Override
    public long treeSize(Path tree) throws IOException {
        return archiver.treeSize(tree);
    }
}
