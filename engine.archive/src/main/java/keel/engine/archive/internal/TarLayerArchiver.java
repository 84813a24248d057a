package keel.engine.archive.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

import keel.engine.api.storage.LayerArchiver;
import keel.engine.api.storage.WhiteoutFormat;

/**
 * The engine's {@link LayerArchiver}: commons-compress for the tar format, {@link FileSystemCalls} for what the
 * JDK cannot do, and the checks of {@link TarExtractor} between an archive and the disk. Stateless and safe for
 * concurrent use; each call works on its own directories. The directories a caller passes are its own and are
 * resolved as given (symlinks in their paths included); nothing beneath them is ever followed.
 *
 * <p>{@link #extract} throws {@link InvalidArchiveException} (an {@link IOException}) for anything that is the
 * archive's fault: malformed or truncated data, garbage, an entry over an {@link ExtractionLimits} bound, a name
 * that is absolute or contains {@code ..}, a write through a symlink, a hardlink to anything but a regular file
 * inside the tree, a device node outside {@code dev/}. The target may then hold part of the diff, and the caller
 * removes it; nothing is ever written outside it.
 */
public final class TarLayerArchiver implements LayerArchiver {

    private final ExtractionLimits limits;

    /** An archiver with {@link ExtractionLimits#DEFAULT}. */
    public TarLayerArchiver() {
        this(ExtractionLimits.DEFAULT);
    }

    public TarLayerArchiver(ExtractionLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public ExtractionLimits limits() {
        return limits;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Does not close {@code tar}. On failure {@code dir} may hold part of the diff: the caller removes it.
     */
    @Override
    public long extract(InputStream tar, Path dir, WhiteoutFormat format) throws IOException {
        Objects.requireNonNull(tar, "tar");
        Objects.requireNonNull(format, "format");
        if (!Files.isDirectory(dir)) {
            throw new IOException("extraction target " + dir + " is not a directory");
        }
        return new TarExtractor(dir.toRealPath(), format, limits, calls()).extract(tar);
    }

    /** {@inheritDoc} Does not close {@code tar}. */
    @Override
    public void writeTree(Path dir, WhiteoutFormat format, OutputStream tar) throws IOException {
        new TreeTarWriter(calls()).write(dir.toRealPath(), Objects.requireNonNull(format, "format"), tar);
    }

    /** {@inheritDoc} Does not close {@code tar}. */
    @Override
    public void writeChanges(Path lower, Path upper, OutputStream tar) throws IOException {
        new ChangesTarWriter(calls()).write(lower == null ? null : lower.toRealPath(), upper.toRealPath(), tar);
    }

    @Override
    public void copyTree(Path source, Path target) throws IOException {
        new TreeCopier(calls()).copy(source.toRealPath(), target);
    }

    @Override
    public void removeTree(Path tree) throws IOException {
        TreeRemover.remove(tree);
    }

    @Override
    public long treeSize(Path tree) throws IOException {
        if (!Files.exists(tree)) {
            return 0;
        }
        Set<Object> inodes = new HashSet<>();
        long[] total = {0};
        // walkFileTree does not follow symlinks unless asked to.
        Files.walkFileTree(tree.toRealPath(), new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && inodes.add(attrs.fileKey())) {
                    total[0] += attrs.size();
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return total[0];
    }

    private static FileSystemCalls calls() {
        return LibcFileSystemCalls.get();
    }
}
