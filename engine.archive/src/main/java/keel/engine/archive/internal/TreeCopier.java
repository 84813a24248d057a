package keel.engine.archive.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link TarLayerArchiver#copyTree}: a faithful copy of a layer directory, as the vfs driver makes one per layer.
 * Ownership, mode bits, times and every extended attribute (trusted.* and security.* included: a copy of an
 * overlay layer must keep its opaque markers and file capabilities), symlinks as symlinks, hardlinked paths as
 * one inode, device nodes, FIFOs and sockets as nodes. Iterative, so a deep tree cannot overflow the stack.
 */
final class TreeCopier {

    private final FileSystemCalls fs;
    private final MetadataWriter metadata;

    TreeCopier(FileSystemCalls fs) {
        this.fs = fs;
        this.metadata = new MetadataWriter(fs);
    }

    private record Pending(Path source, Path target) {
    }

    private record DirectoryTimes(Path target, FileStat stat) {
    }

    void copy(Path source, Path target) throws IOException {
        if (FileStat.ofOrNull(target) != null) {
            throw new FileAlreadyExistsException(target.toString(), null, "copy target exists");
        }
        Map<FileStat.InodeKey, Path> copiedInodes = new HashMap<>();
        List<DirectoryTimes> directories = new ArrayList<>();
        Deque<Pending> pending = new ArrayDeque<>();
        pending.push(new Pending(source, target));
        while (!pending.isEmpty()) {
            Pending next = pending.pop();
            Path from = next.source();
            Path to = next.target();
            FileStat stat = FileStat.of(from);
            if (stat.isDirectory()) {
                Files.createDirectory(to);
                applyMetadata(from, to, stat);
                directories.add(new DirectoryTimes(to, stat));
                try (DirectoryStream<Path> children = Files.newDirectoryStream(from)) {
                    for (Path child : children) {
                        pending.push(new Pending(child, to.resolve(child.getFileName().toString())));
                    }
                }
                continue;
            }
            if (stat.nlink() > 1) {
                Path first = copiedInodes.putIfAbsent(stat.inode(), to);
                if (first != null) {
                    // Same inode in the source: same inode in the copy (metadata comes with it).
                    Files.createLink(to, first);
                    continue;
                }
            }
            if (stat.isRegularFile()) {
                copyContent(from, to);
            } else if (stat.isSymlink()) {
                fs.symlink(Files.readSymbolicLink(from).toString(), to);
            } else {
                fs.mknod(to, stat.type() | stat.permissions(), stat.rdev());
            }
            applyMetadata(from, to, stat);
            metadata.setTimes(to, stat.atimeSeconds(), stat.atimeNanos(), stat.mtimeSeconds(), stat.mtimeNanos());
        }
        // Last, so that creating their content does not move them again.
        for (DirectoryTimes dir : directories) {
            FileStat stat = dir.stat();
            metadata.setTimes(dir.target(), stat.atimeSeconds(), stat.atimeNanos(), stat.mtimeSeconds(),
                    stat.mtimeNanos());
        }
    }

    private void applyMetadata(Path from, Path to, FileStat stat) throws IOException {
        metadata.chown(to, stat.uid(), stat.gid());
        if (!stat.isSymlink()) {
            metadata.chmod(to, stat.permissions());
        }
        metadata.setXattrs(to, LayerXattrs.readAll(fs, from), false);
    }

    private static void copyContent(Path from, Path to) throws IOException {
        try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
                FileChannel out = FileChannel.open(to, EnumSet.of(StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(
                                EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)))) {
            long size = in.size();
            long position = 0;
            while (position < size) {
                long n = in.transferTo(position, size - position, out);
                if (n <= 0) {
                    break;
                }
                position += n;
            }
        }
    }
}
