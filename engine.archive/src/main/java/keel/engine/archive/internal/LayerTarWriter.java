package keel.engine.archive.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes layer tar entries the way Docker does: PAX format, names relative to the layer root, mtime in whole
 * seconds, no user or group names, extended attributes as {@code SCHILY.xattr.*} records. The PAX header is
 * built here ({@link PaxRecords}, raw bytes, sorted keys) and commons-compress does the ustar blocks; so the same
 * tree always gives the same bytes.
 */
final class LayerTarWriter {

    /** ustar's name and linkname fields hold 100 bytes; commons-compress treats 100 itself as too long. */
    private static final int USTAR_NAME_MAX = 99;
    private static final long USTAR_ID_MAX = 07777777L;
    private static final long USTAR_NUMBER_MAX = 077777777777L;
    private static final String PAX_HEADER_NAME = "././@PaxHeader";

    private final TarArchiveOutputStream tar;
    private final byte[] buffer = new byte[64 * 1024];
    /** The first name written for each inode with several links; later names become hardlink entries to it. */
    private final Map<FileStat.InodeKey, String> firstNames = new HashMap<>();

    LayerTarWriter(OutputStream out) {
        // Never closed, only finished: the caller owns out.
        tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
        // Long names and big numbers go in our own PAX header; commons-compress must never add one of its own.
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_ERROR);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_STAR);
    }

    /**
     * Writes what is at {@code path} as entry {@code name}: a hardlink entry when an earlier entry was the same
     * inode, nothing for a socket (a socket is not content; Docker skips them too).
     */
    void path(String name, Path path, FileStat stat, SortedMap<String, byte[]> xattrs) throws IOException {
        if (stat.isSocket()) {
            return;
        }
        if (stat.isDirectory()) {
            directory(name, stat, xattrs);
            return;
        }
        if (stat.nlink() > 1) {
            String first = firstNames.putIfAbsent(stat.inode(), name);
            if (first != null) {
                hardlink(name, stat, first);
                return;
            }
        }
        if (stat.isRegularFile()) {
            file(name, stat, xattrs, path);
        } else if (stat.isSymlink()) {
            symlink(name, stat, xattrs, Files.readSymbolicLink(path).toString());
        } else {
            special(name, stat, xattrs);
        }
    }

    void directory(String name, FileStat stat, SortedMap<String, byte[]> xattrs) throws IOException {
        put(name + "/", TarArchiveEntry.LF_DIR, stat, 0, null, xattrs);
        tar.closeArchiveEntry();
    }

    /** A regular file with the content of {@code source}, exactly {@code stat.size()} bytes of it. */
    void file(String name, FileStat stat, SortedMap<String, byte[]> xattrs, Path source) throws IOException {
        put(name, TarArchiveEntry.LF_NORMAL, stat, stat.size(), null, xattrs);
        long remaining = stat.size();
        try (InputStream in = Files.newInputStream(source, LinkOption.NOFOLLOW_LINKS)) {
            while (remaining > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                if (n < 0) {
                    throw new IOException(source + " shrank while it was archived");
                }
                tar.write(buffer, 0, n);
                remaining -= n;
            }
        }
        tar.closeArchiveEntry();
    }

    void symlink(String name, FileStat stat, SortedMap<String, byte[]> xattrs, String target) throws IOException {
        put(name, TarArchiveEntry.LF_SYMLINK, stat, 0, target, xattrs);
        tar.closeArchiveEntry();
    }

    void hardlink(String name, FileStat stat, String target) throws IOException {
        put(name, TarArchiveEntry.LF_LINK, stat, 0, target, new TreeMap<>());
        tar.closeArchiveEntry();
    }

    /** A character or block device, or a FIFO. */
    void special(String name, FileStat stat, SortedMap<String, byte[]> xattrs) throws IOException {
        byte type = stat.isCharDevice() ? TarArchiveEntry.LF_CHR
                : stat.isBlockDevice() ? TarArchiveEntry.LF_BLK : TarArchiveEntry.LF_FIFO;
        put(name, type, stat, 0, null, xattrs);
        tar.closeArchiveEntry();
    }

    /**
     * An OCI whiteout or opaque marker: an empty regular file, mode 0, owned by root, at the epoch (Docker stamps
     * the current time; a fixed one keeps the diff reproducible).
     */
    void marker(String name) throws IOException {
        FileStat zero = new FileStat(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
        put(name, TarArchiveEntry.LF_NORMAL, zero, 0, null, new TreeMap<>());
        tar.closeArchiveEntry();
    }

    /** Writes the end-of-archive blocks; the underlying stream stays open. */
    void finish() throws IOException {
        tar.finish();
        tar.flush();
    }

    private void put(String name, byte type, FileStat stat, long size, String linkName,
            SortedMap<String, byte[]> xattrs) throws IOException {
        SortedMap<String, byte[]> pax = new TreeMap<>();
        String headerName = name;
        if (!fitsUstar(name)) {
            pax.put("path", name.getBytes(StandardCharsets.UTF_8));
            headerName = ustarFallback(name);
        }
        String headerLink = linkName;
        if (linkName != null && !fitsUstar(linkName)) {
            pax.put("linkpath", linkName.getBytes(StandardCharsets.UTF_8));
            headerLink = ustarFallback(linkName);
        }
        if (stat.uid() > USTAR_ID_MAX) {
            pax.put("uid", ascii(Long.toString(stat.uid())));
        }
        if (stat.gid() > USTAR_ID_MAX) {
            pax.put("gid", ascii(Long.toString(stat.gid())));
        }
        if (size > USTAR_NUMBER_MAX) {
            pax.put("size", ascii(Long.toString(size)));
        }
        long mtime = stat.mtimeSeconds();
        if (mtime < 0 || mtime > USTAR_NUMBER_MAX) {
            pax.put("mtime", ascii(Long.toString(mtime)));
            mtime = Math.max(0, Math.min(mtime, USTAR_NUMBER_MAX));
        }
        for (var xattr : xattrs.entrySet()) {
            pax.put(PaxRecords.XATTR_PREFIX + xattr.getKey(), xattr.getValue());
        }
        if (!pax.isEmpty()) {
            byte[] data = PaxRecords.encode(pax);
            TarArchiveEntry header = new TarArchiveEntry(PAX_HEADER_NAME, TarArchiveEntry.LF_PAX_EXTENDED_HEADER_LC,
                    true);
            header.setMode(0644);
            header.setUserName("");
            header.setGroupName("");
            header.setModTime(FileTime.from(0, TimeUnit.SECONDS));
            header.setSize(data.length);
            tar.putArchiveEntry(header);
            tar.write(data, 0, data.length);
            tar.closeArchiveEntry();
        }
        TarArchiveEntry entry = new TarArchiveEntry(headerName, type, true);
        entry.setMode(stat.permissions());
        entry.setUserId(Math.min(stat.uid(), USTAR_ID_MAX));
        entry.setGroupId(Math.min(stat.gid(), USTAR_ID_MAX));
        entry.setUserName("");
        entry.setGroupName("");
        entry.setModTime(FileTime.from(mtime, TimeUnit.SECONDS));
        entry.setSize(size);
        if (headerLink != null) {
            entry.setLinkName(headerLink);
        }
        if (type == TarArchiveEntry.LF_CHR || type == TarArchiveEntry.LF_BLK) {
            entry.setDevMajor((int) FileSystemCalls.major(stat.rdev()));
            entry.setDevMinor((int) FileSystemCalls.minor(stat.rdev()));
        }
        tar.putArchiveEntry(entry);
    }

    private static boolean fitsUstar(String name) {
        if (name.length() > USTAR_NAME_MAX) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == 0 || c >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** What readers without PAX support see: the name with non-ASCII characters replaced, cut to fit. */
    private static String ustarFallback(String name) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < name.length() && b.length() < USTAR_NAME_MAX; i++) {
            char c = name.charAt(i);
            b.append(c == 0 || c >= 0x80 ? '_' : c);
        }
        return b.toString();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
