package keel.engine.archive.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/** The entries of a tar as short strings ("file a/b", "dir a", "link x -> y"), read back through Keel's reader. */
final class TarListing {

    private TarListing() {
    }

    static List<String> of(byte[] tar) throws IOException {
        List<String> entries = new ArrayList<>();
        LayerTarInputStream in = new LayerTarInputStream(new ByteArrayInputStream(tar), ExtractionLimits.DEFAULT);
        TarArchiveEntry e;
        while ((e = in.getNextEntry()) != null) {
            String name = in.rawName();
            String type = switch (e.getLinkFlag()) {
                case TarArchiveEntry.LF_DIR -> "dir";
                case TarArchiveEntry.LF_SYMLINK -> "symlink";
                case TarArchiveEntry.LF_LINK -> "hardlink";
                case TarArchiveEntry.LF_CHR -> "char";
                case TarArchiveEntry.LF_BLK -> "block";
                case TarArchiveEntry.LF_FIFO -> "fifo";
                default -> "file";
            };
            String link = e.isSymbolicLink() || e.isLink() ? " -> " + in.rawLinkName() : "";
            entries.add(type + " " + name + link);
        }
        return entries;
    }
}
