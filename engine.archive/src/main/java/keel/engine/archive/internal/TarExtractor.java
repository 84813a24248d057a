package keel.engine.archive.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

import keel.engine.api.storage.WhiteoutFormat;

/**
 * One extraction of a tar diff into a directory (the state of {@link TarLayerArchiver#extract}).
 *
 * <p>Each entry's name is cleaned and checked ({@link EntryName}), its parents are checked to be real directories
 * ({@link TargetTree}), the existing file at its place is replaced, and the new one is made without following any
 * symlink. OCI whiteouts become overlayfs whiteouts or deletions, depending on the {@link WhiteoutFormat}.
 */
final class TarExtractor {

    static final String WHITEOUT_PREFIX = ".wh.";
    static final String WHITEOUT_META_PREFIX = ".wh..wh.";
    static final String OPAQUE_MARKER = ".wh..wh..opq";

    private static final byte[] OPAQUE_YES = {'y'};
    private static final Set<PosixFilePermission> OWNER_RW =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private final ExtractionLimits limits;
    private final WhiteoutFormat format;
    private final FileSystemCalls fs;
    private final MetadataWriter metadata;
    private final TargetTree tree;

    /** APPLIED only: every name this extraction wrote or passed through, which an opaque marker keeps. */
    private final Set<String> written = new HashSet<>();
    private final List<EntryName> opaqueDirs = new ArrayList<>();
    /** Directory times are set last, so that writing their content does not change them again. */
    private final List<DirectoryTimes> directoryTimes = new ArrayList<>();
    private final byte[] buffer = new byte[64 * 1024];
    private long entries;
    private long contentBytes;

    private record DirectoryTimes(EntryName name, long seconds, int nanos) {
    }

    TarExtractor(Path dir, WhiteoutFormat format, ExtractionLimits limits, FileSystemCalls fs) {
        this.limits = limits;
        this.format = format;
        this.fs = fs;
        this.metadata = new MetadataWriter(fs);
        this.tree = new TargetTree(dir, metadata);
    }

    long extract(InputStream in) throws IOException {
        LayerTarInputStream tar = new LayerTarInputStream(in, limits);
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
            if (++entries > limits.maxEntries()) {
                throw new InvalidArchiveException("archive has more than " + limits.maxEntries() + " entries");
            }
            extractEntry(tar, entry);
        }
        for (EntryName opaque : opaqueDirs) {
            removeUnwritten(opaque);
        }
        for (DirectoryTimes times : directoryTimes) {
            if (!tree.parentsAreDirectories(times.name())) {
                continue;
            }
            Path path = tree.path(times.name());
            FileStat stat = FileStat.ofOrNull(path);
            if (stat != null && stat.isDirectory()) {
                metadata.setTimes(path, times.seconds(), times.nanos(), times.seconds(), times.nanos());
            }
        }
        return contentBytes;
    }

    private void extractEntry(LayerTarInputStream tar, TarArchiveEntry entry) throws IOException {
        String raw = tar.rawName();
        long size = Math.max(entry.getSize(), entry.isSparse() ? entry.getRealSize() : 0);
        if (size > limits.maxEntrySize()) {
            throw InvalidArchiveException.entry(raw, "declares " + size + " bytes, more than the limit of "
                    + limits.maxEntrySize());
        }
        EntryName name = EntryName.parse(raw, limits.maxNameLength(), "name", raw);
        SortedMap<String, byte[]> xattrs = xattrs(tar.paxRecords(), raw);
        byte type = entry.getLinkFlag();

        if (!name.isRoot()) {
            String base = name.fileName();
            if (base.startsWith(WHITEOUT_PREFIX)) {
                whiteout(name, base, entry, raw);
                return;
            }
            if (name.path().startsWith(WHITEOUT_META_PREFIX)) {
                // Content of an AUFS metadata directory (.wh..wh.plnk/...): not part of the image.
                return;
            }
        }
        if (type == TarArchiveEntry.LF_OLDNORM && raw.endsWith("/")) {
            // Pre-POSIX tars mark directories by a trailing slash on a plain file entry.
            type = TarArchiveEntry.LF_DIR;
        }
        if (name.isRoot()) {
            if (type != TarArchiveEntry.LF_DIR) {
                throw InvalidArchiveException.entry(raw, "names the target directory itself");
            }
            // "./" in a tar made with `tar -C rootfs -c .`: Docker applies its metadata to the root.
            directory(name, entry, xattrs);
            return;
        }

        // Check everything about the entry before touching the file system for it.
        String linkTarget = null;
        EntryName hardlinkTarget = null;
        switch (type) {
            case TarArchiveEntry.LF_SYMLINK -> linkTarget = symlinkTarget(tar.rawLinkName(), raw);
            case TarArchiveEntry.LF_LINK -> hardlinkTarget = hardlinkTarget(name, tar.rawLinkName(), raw);
            case TarArchiveEntry.LF_CHR, TarArchiveEntry.LF_BLK -> {
                // Device nodes only in the image's own /dev, which the runtime replaces with a tmpfs anyway; a
                // device node elsewhere is a way to reach host hardware from the container.
                if (!name.path().startsWith("dev/")) {
                    throw InvalidArchiveException.entry(raw, "device node outside dev/");
                }
            }
            case TarArchiveEntry.LF_NORMAL, TarArchiveEntry.LF_OLDNORM, TarArchiveEntry.LF_CONTIG,
                    TarArchiveEntry.LF_GNUTYPE_SPARSE, TarArchiveEntry.LF_DIR, TarArchiveEntry.LF_FIFO -> {
            }
            default -> throw InvalidArchiveException.entry(raw, "unsupported entry type '"
                    + InvalidArchiveException.printable(String.valueOf((char) (type & 0xff))) + "'");
        }

        tree.prepareParents(name, raw, this::markWritten);
        markWritten(name);
        Path path = tree.path(name);
        FileStat existing = FileStat.ofOrNull(path);
        if (existing != null && !(type == TarArchiveEntry.LF_DIR && existing.isDirectory())) {
            // Replace whatever is there; a directory over a directory keeps its content and gets new metadata.
            tree.forget(name);
            TreeRemover.remove(path);
        }
        switch (type) {
            case TarArchiveEntry.LF_DIR -> directory(name, entry, xattrs);
            case TarArchiveEntry.LF_SYMLINK -> {
                fs.symlink(linkTarget, path);
                metadata.chown(path, entry.getLongUserId(), entry.getLongGroupId());
                metadata.setXattrs(path, xattrs, true);
                setTimes(path, entry);
            }
            // A hardlink shares its target's inode and metadata: the header's copy of them is not applied.
            case TarArchiveEntry.LF_LINK -> Files.createLink(path, tree.path(hardlinkTarget));
            case TarArchiveEntry.LF_CHR -> special(path, FileSystemCalls.S_IFCHR, entry, xattrs);
            case TarArchiveEntry.LF_BLK -> special(path, FileSystemCalls.S_IFBLK, entry, xattrs);
            case TarArchiveEntry.LF_FIFO -> special(path, FileSystemCalls.S_IFIFO, entry, xattrs);
            default -> regularFile(path, tar, entry, xattrs);
        }
    }

    private void directory(EntryName name, TarArchiveEntry entry, SortedMap<String, byte[]> xattrs)
            throws IOException {
        Path path = tree.path(name);
        if (!name.isRoot() && FileStat.ofOrNull(path) == null) {
            Files.createDirectory(path);
        }
        tree.directoryMade(name);
        applyOwnerModeXattrs(path, entry, xattrs);
        Instant mtime = entry.getLastModifiedTime().toInstant();
        directoryTimes.add(new DirectoryTimes(name, mtime.getEpochSecond(), mtime.getNano()));
    }

    private void regularFile(Path path, LayerTarInputStream tar, TarArchiveEntry entry,
            SortedMap<String, byte[]> xattrs) throws IOException {
        // O_CREAT|O_EXCL never follows a symlink at path; 0600 until the real mode is set.
        try (FileChannel out = FileChannel.open(path,
                EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(OWNER_RW))) {
            int n;
            while ((n = tar.read(buffer, 0, buffer.length)) > 0) {
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                while (chunk.hasRemaining()) {
                    out.write(chunk);
                }
                contentBytes += n;
            }
        }
        applyOwnerModeXattrs(path, entry, xattrs);
        setTimes(path, entry);
    }

    private void special(Path path, int fileType, TarArchiveEntry entry, SortedMap<String, byte[]> xattrs)
            throws IOException {
        long rdev = fileType == FileSystemCalls.S_IFIFO ? 0
                : FileSystemCalls.makedev(entry.getDevMajor(), entry.getDevMinor());
        fs.mknod(path, fileType | (entry.getMode() & 07777), rdev);
        applyOwnerModeXattrs(path, entry, xattrs);
        setTimes(path, entry);
    }

    private void applyOwnerModeXattrs(Path path, TarArchiveEntry entry, SortedMap<String, byte[]> xattrs)
            throws IOException {
        metadata.chown(path, entry.getLongUserId(), entry.getLongGroupId());
        metadata.chmod(path, entry.getMode());
        metadata.setXattrs(path, xattrs, true);
    }

    private void setTimes(Path path, TarArchiveEntry entry) throws IOException {
        Instant mtime = entry.getLastModifiedTime().toInstant();
        metadata.setTimes(path, mtime.getEpochSecond(), mtime.getNano(), mtime.getEpochSecond(), mtime.getNano());
    }

    // ---- whiteouts

    private void whiteout(EntryName name, String base, TarArchiveEntry entry, String raw) throws IOException {
        EntryName dir = name.parent();
        if (base.equals(OPAQUE_MARKER)) {
            // The directory is part of this layer; create it if the tar did not list it.
            tree.prepareParents(name, raw, this::markWritten);
            if (format == WhiteoutFormat.OVERLAY) {
                fs.setXattr(tree.path(dir), LayerXattrs.OVERLAY_OPAQUE, OPAQUE_YES);
            } else {
                opaqueDirs.add(dir);
            }
            return;
        }
        if (base.startsWith(WHITEOUT_META_PREFIX)) {
            // Other .wh..wh.* names are AUFS bookkeeping (.wh..wh.plnk, .wh..wh.aufs): not content.
            return;
        }
        String victimName = base.substring(WHITEOUT_PREFIX.length());
        if (victimName.isEmpty() || victimName.equals(".") || victimName.equals("..")) {
            throw InvalidArchiveException.entry(raw, "whiteout for '" + victimName + "'");
        }
        EntryName victim = dir.child(victimName);
        tree.prepareParents(victim, raw, this::markWritten);
        Path path = tree.path(victim);
        tree.forget(victim);
        TreeRemover.remove(path);
        if (format == WhiteoutFormat.OVERLAY) {
            // overlayfs's whiteout: a character device 0/0 hides the name in every lower layer.
            fs.mknod(path, FileSystemCalls.S_IFCHR, 0);
            metadata.chown(path, entry.getLongUserId(), entry.getLongGroupId());
        } else {
            written.remove(victim.path());
        }
    }

    /**
     * APPLIED opaque directory: everything under {@code dir} that this extraction did not write came from the
     * parent layers and is hidden by the marker. Kept directories are searched in turn, because a name the layer
     * only passed through (an implied parent) is part of the layer with just the content the layer gave it.
     */
    private void removeUnwritten(EntryName dir) throws IOException {
        if (!tree.parentsAreDirectories(dir)) {
            // A later entry replaced a parent of the opaque directory (with a symlink, say): it is gone.
            return;
        }
        Deque<EntryName> pending = new ArrayDeque<>();
        pending.push(dir);
        while (!pending.isEmpty()) {
            EntryName current = pending.pop();
            Path path = tree.path(current);
            FileStat stat = FileStat.ofOrNull(path);
            if (stat == null || !stat.isDirectory()) {
                continue;
            }
            List<String> children = new ArrayList<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(path)) {
                for (Path child : stream) {
                    children.add(child.getFileName().toString());
                }
            }
            for (String child : children) {
                EntryName childName = current.child(child);
                if (written.contains(childName.path())) {
                    pending.push(childName);
                } else {
                    tree.forget(childName);
                    TreeRemover.remove(tree.path(childName));
                }
            }
        }
    }

    private void markWritten(EntryName name) {
        if (format == WhiteoutFormat.APPLIED) {
            written.add(name.path());
        }
    }

    // ---- entry checks

    private String symlinkTarget(String target, String raw) throws InvalidArchiveException {
        // Any target is fine (absolute ones are normal inside a rootfs): a symlink is created, never followed.
        if (target.isEmpty()) {
            throw InvalidArchiveException.entry(raw, "symlink with an empty target");
        }
        if (target.indexOf('\0') >= 0) {
            throw InvalidArchiveException.entry(raw, "symlink target contains a NUL byte");
        }
        if (target.getBytes(StandardCharsets.UTF_8).length > limits.maxNameLength()) {
            throw InvalidArchiveException.entry(raw, "symlink target is longer than " + limits.maxNameLength()
                    + " bytes");
        }
        return target;
    }

    /**
     * A hardlink's target must be a regular file already inside the tree, reached without a symlink: a link to a
     * symlink (or through one) would give the layer a second name for something outside the target, and a link to
     * a directory is not possible anyway.
     */
    private EntryName hardlinkTarget(EntryName name, String rawTarget, String raw) throws IOException {
        EntryName target = EntryName.parse(rawTarget, limits.maxNameLength(), "hardlink target", raw);
        if (target.isRoot() || target.equals(name)) {
            throw InvalidArchiveException.entry(raw, "hardlink to itself or to the root");
        }
        tree.checkParents(target, raw);
        FileStat stat = FileStat.ofOrNull(tree.path(target));
        if (stat == null) {
            throw InvalidArchiveException.entry(raw, "hardlink target '" + target + "' does not exist");
        }
        if (!stat.isRegularFile()) {
            throw InvalidArchiveException.entry(raw, "hardlink target '" + target + "' is not a regular file");
        }
        return target;
    }

    private SortedMap<String, byte[]> xattrs(Map<String, byte[]> records, String raw)
            throws InvalidArchiveException {
        SortedMap<String, byte[]> xattrs = new TreeMap<>();
        long bytes = 0;
        for (Map.Entry<String, byte[]> record : records.entrySet()) {
            if (!record.getKey().startsWith(PaxRecords.XATTR_PREFIX)) {
                continue;
            }
            String name = record.getKey().substring(PaxRecords.XATTR_PREFIX.length());
            bytes += name.getBytes(StandardCharsets.UTF_8).length + record.getValue().length;
            if (bytes > limits.maxXattrBytes()) {
                throw InvalidArchiveException.entry(raw, "extended attributes are larger than the limit of "
                        + limits.maxXattrBytes() + " bytes");
            }
            // overlayfs metadata in an archive is dropped, not applied (see LayerXattrs.carried).
            if (LayerXattrs.carried(name)) {
                xattrs.put(name, record.getValue());
            }
        }
        return xattrs;
    }
}
