package keel.engine.core.internal.image.archive;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import keel.engine.core.internal.image.disk.AtomicFiles;

/**
 * An image archive ({@code docker save} tar or OCI layout tar, plain or compressed) unpacked into a private
 * directory, because its parts must be read in an order the tar does not follow (manifest last, layers first).
 *
 * <p>Only regular files and directories are written: member names that are absolute or climb out with {@code ..}
 * are refused, so nothing lands outside the directory. Symbolic and hard links (Docker up to 24 links duplicate
 * {@code layer.tar} files) are not created on disk but remembered as aliases and resolved when a name is looked
 * up, never outside the archive. Entry count and total size are bounded.
 */
public final class ArchiveSpool implements Closeable {

    /** Bounds on what one archive may make the engine write. */
    public record Limits(long maxEntries, long maxBytes, int maxNameLength) {
        public static final Limits DEFAULT = new Limits(100_000, 1L << 40, 4096);
    }

    private static final int MAX_LINK_HOPS = 16;

    private final Path dir;
    private final Map<String, String> aliases = new HashMap<>();

    private ArchiveSpool(Path dir) {
        this.dir = dir;
    }

    /**
     * Unpacks {@code archive} into {@code dir} (an empty directory the spool then owns and removes on close).
     *
     * @throws BadArchiveException when the archive is malformed or unsafe
     */
    public static ArchiveSpool unpack(InputStream archive, Path dir, Limits limits) throws IOException {
        ArchiveSpool spool = new ArchiveSpool(dir);
        boolean ok = false;
        try {
            spool.read(Compression.decompress(archive), limits);
            ok = true;
            return spool;
        } finally {
            if (!ok) {
                spool.close();
            }
        }
    }

    private void read(InputStream in, Limits limits) throws IOException {
        long entries = 0;
        long bytes = 0;
        byte[] buf = new byte[128 * 1024];
        TarArchiveInputStream tar = new TarArchiveInputStream(in);
        try {
            for (TarArchiveEntry e = nextEntry(tar); e != null; e = nextEntry(tar)) {
                if (++entries > limits.maxEntries()) {
                    throw new BadArchiveException("invalid archive: more than " + limits.maxEntries() + " members");
                }
                String name = clean(e.getName(), limits);
                if (name.isEmpty()) {
                    if (e.isDirectory()) {
                        continue;
                    }
                    throw new BadArchiveException("invalid archive member \"" + e.getName() + "\"");
                }
                Path target = dir.resolve(name);
                if (e.isDirectory()) {
                    mkdirs(target, e.getName());
                } else if (e.isSymbolicLink()) {
                    String parent = name.contains("/") ? name.substring(0, name.lastIndexOf('/')) : "";
                    String link = e.getLinkName();
                    if (link.startsWith("/")) {
                        throw new BadArchiveException("invalid archive member \"" + e.getName()
                                + "\": symbolic link to an absolute path " + link);
                    }
                    aliases.put(name, resolveLink(parent.isEmpty() ? link : parent + "/" + link, e.getName()));
                } else if (e.isLink()) {
                    aliases.put(name, resolveLink(e.getLinkName(), e.getName()));
                } else if (isRegular(e)) {
                    bytes += e.getSize();
                    if (bytes > limits.maxBytes()) {
                        throw new BadArchiveException("invalid archive: more than " + limits.maxBytes() + " bytes");
                    }
                    mkdirs(target.getParent(), e.getName());
                    aliases.remove(name);
                    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                        throw new BadArchiveException("invalid archive member \"" + e.getName()
                                + "\": a file where the archive has a directory");
                    }
                    try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE,
                            StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                        long left = e.getSize();
                        while (left > 0) {
                            int n = tar.read(buf, 0, (int) Math.min(buf.length, left));
                            if (n < 0) {
                                throw new BadArchiveException("invalid archive: unexpected EOF in " + e.getName());
                            }
                            out.write(buf, 0, n);
                            left -= n;
                        }
                    }
                } else {
                    throw new BadArchiveException("invalid archive member \"" + e.getName()
                            + "\": only files and directories belong in an image archive");
                }
            }
        } catch (BadArchiveException e) {
            throw e;
        } catch (IOException | IllegalArgumentException e) {
            if (e instanceof java.nio.file.FileSystemException) {
                throw (IOException) e;
            }
            throw new BadArchiveException("invalid archive: " + e.getMessage(), e);
        }
        if (entries == 0) {
            throw new BadArchiveException("invalid archive: no image in it (empty or not a tar)");
        }
    }

    /** commons-compress calls anything not a directory a file; only ustar's regular types are. */
    private static boolean isRegular(TarArchiveEntry e) {
        byte flag = e.getLinkFlag();
        return (flag == TarArchiveEntry.LF_NORMAL || flag == TarArchiveEntry.LF_OLDNORM
                || flag == TarArchiveEntry.LF_CONTIG) && !e.isSparse();
    }

    private static TarArchiveEntry nextEntry(TarArchiveInputStream tar) throws IOException {
        return tar.getNextEntry();
    }

    private void mkdirs(Path d, String member) throws IOException {
        try {
            Files.createDirectories(d);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new BadArchiveException("invalid archive member \"" + member + "\": a directory where the archive has a file");
        }
    }

    /** A member name as a relative path without {@code .} parts; absolute names and {@code ..} are refused. */
    static String clean(String name, Limits limits) throws BadArchiveException {
        if (name.length() > limits.maxNameLength() || name.indexOf('\0') >= 0) {
            throw new BadArchiveException("invalid archive member name \"" + name + "\"");
        }
        if (name.startsWith("/")) {
            throw new BadArchiveException("invalid archive member \"" + name + "\": absolute paths are not allowed");
        }
        List<String> parts = new ArrayList<>();
        for (String p : name.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                throw new BadArchiveException("invalid archive member \"" + name + "\": path escapes the archive");
            }
            parts.add(p);
        }
        return String.join("/", parts);
    }

    /** A link target relative to the archive's root, {@code ..} resolved; refused when it climbs out. */
    private static String resolveLink(String target, String member) throws BadArchiveException {
        List<String> parts = new ArrayList<>();
        for (String p : target.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                if (parts.isEmpty()) {
                    throw new BadArchiveException("invalid archive member \"" + member + "\": link points outside the archive");
                }
                parts.remove(parts.size() - 1);
                continue;
            }
            parts.add(p);
        }
        return String.join("/", parts);
    }

    /** The directory holding the unpacked archive. */
    public Path dir() {
        return dir;
    }

    /** Whether the archive has a file of this name (links followed). */
    public boolean hasFile(String name) {
        try {
            return Files.isRegularFile(file(name), LinkOption.NOFOLLOW_LINKS);
        } catch (BadArchiveException e) {
            return false;
        }
    }

    /**
     * The file a member name refers to, following the archive's own links.
     *
     * @throws BadArchiveException when the name is unsafe, or refers to no regular file of the archive
     */
    public Path file(String name) throws BadArchiveException {
        String n = clean(name, Limits.DEFAULT);
        for (int hop = 0; aliases.containsKey(n); hop++) {
            if (hop >= MAX_LINK_HOPS) {
                throw new BadArchiveException("invalid archive: too many levels of links at " + name);
            }
            n = aliases.get(n);
        }
        Path p = dir.resolve(n);
        if (n.isEmpty() || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new BadArchiveException("invalid archive: " + name + " is missing");
        }
        return p;
    }

    /** A small file of the archive (JSON), bounded so that a huge one cannot exhaust the heap. */
    public byte[] read(String name, int maxBytes) throws IOException {
        Path p = file(name);
        if (Files.size(p) > maxBytes) {
            throw new BadArchiveException("invalid archive: " + name + " is larger than " + maxBytes + " bytes");
        }
        return Files.readAllBytes(p);
    }

    @Override
    public void close() throws IOException {
        AtomicFiles.removeTree(dir);
    }
}
