package keel.engine.archive.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.SortedMap;

import keel.engine.api.storage.WhiteoutFormat;

/**
 * {@link TarLayerArchiver#writeTree}: every entry under a directory, parents before children and siblings sorted
 * by name, with overlayfs whiteouts turned back into OCI ones when the directory holds an overlay layer.
 */
final class TreeTarWriter {

    private final FileSystemCalls fs;

    TreeTarWriter(FileSystemCalls fs) {
        this.fs = fs;
    }

    void write(Path dir, WhiteoutFormat format, OutputStream out) throws IOException {
        FileStat rootStat = FileStat.of(dir);
        if (!rootStat.isDirectory()) {
            throw new IOException(dir + " is not a directory");
        }
        LayerTarWriter tar = new LayerTarWriter(out);
        // Depth first with an explicit stack: children are pushed in reverse order so they come off sorted.
        Deque<String> pending = new ArrayDeque<>();
        pushChildren(dir, "", pending);
        while (!pending.isEmpty()) {
            String name = pending.pop();
            Path path = dir.resolve(name);
            FileStat stat = FileStat.of(path);
            if (format == WhiteoutFormat.OVERLAY && stat.isOverlayWhiteout()) {
                // Checked before hardlinks: overlayfs links its whiteouts to one shared inode.
                tar.marker(sibling(name, TarExtractor.WHITEOUT_PREFIX + fileName(name)));
                continue;
            }
            SortedMap<String, byte[]> xattrs = LayerXattrs.readCarried(fs, path);
            tar.path(name, path, stat, xattrs);
            if (stat.isDirectory()) {
                if (format == WhiteoutFormat.OVERLAY
                        && Arrays.equals(fs.getXattr(path, LayerXattrs.OVERLAY_OPAQUE), new byte[] {'y'})) {
                    tar.marker(name + "/" + TarExtractor.OPAQUE_MARKER);
                }
                pushChildren(path, name + "/", pending);
            }
        }
        tar.finish();
    }

    private static void pushChildren(Path dir, String prefix, Deque<String> pending) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
            for (Path child : children) {
                names.add(child.getFileName().toString());
            }
        }
        names.sort(null);
        for (int i = names.size() - 1; i >= 0; i--) {
            pending.push(prefix + names.get(i));
        }
    }

    static String fileName(String name) {
        return name.substring(name.lastIndexOf('/') + 1);
    }

    /** {@code other} in the directory that holds {@code name}. */
    static String sibling(String name, String other) {
        int slash = name.lastIndexOf('/');
        return slash < 0 ? other : name.substring(0, slash + 1) + other;
    }
}
