package keel.storage.tck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What a tree looks like to a process: every path with its type, permission bits (set-id and sticky included),
 * owner, content digest, symlink target and {@code user.*} extended attributes, plus which paths are hard links of
 * one another. Modification times are left out: copy-up, re-extraction and directory updates change them legitimately.
 *
 * <p>A snapshot is either read from a directory (a mounted layer) with {@link #of(Path)} or worked out from layer
 * tars with {@link #apply(TarBuilder)}, which follows the OCI image spec's rules for applying a changeset; comparing
 * the two with {@link #differences} is how the suite checks what a mount shows.
 */
public final class TreeSnapshot {

    /** One path. {@code type} is {@code d f l p c b s}; {@code content} is the SHA-256 of a file's bytes. */
    public record Node(char type, int mode, int uid, int gid, long size, String content, String target,
            SortedMap<String, String> xattrs) {

        @Override
        public String toString() {
            return type + " " + String.format("%04o", mode) + " " + uid + ":" + gid
                    + (type == 'f' ? " " + size + "B " + content.substring(0, 12) : "")
                    + (target != null ? " -> " + target : "") + (xattrs.isEmpty() ? "" : " " + xattrs);
        }
    }

    private final SortedMap<String, Node> nodes;
    /** Path to an identity shared by all its hard links (an inode number, or a model's link group). */
    private final Map<String, Object> linkIdentity;

    private TreeSnapshot(SortedMap<String, Node> nodes, Map<String, Object> linkIdentity) {
        this.nodes = nodes;
        this.linkIdentity = linkIdentity;
    }

    public static TreeSnapshot empty() {
        return new TreeSnapshot(new TreeMap<>(), new HashMap<>());
    }

    /** Reads the tree under {@code root} (not following symlinks); paths are relative to it, the root left out. */
    public static TreeSnapshot of(Path root) throws IOException {
        SortedMap<String, Node> nodes = new TreeMap<>();
        Map<String, Object> inodes = new HashMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (p.equals(root)) {
                    continue;
                }
                String name = root.relativize(p).toString();
                Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,ino,size", LinkOption.NOFOLLOW_LINKS);
                int mode = (Integer) a.get("mode");
                char type = typeOf(mode);
                String content = null;
                String target = null;
                long size = 0;
                if (type == 'f') {
                    size = (Long) a.get("size");
                    content = sha256(Files.readAllBytes(p));
                } else if (type == 'l') {
                    target = Files.readSymbolicLink(p).toString();
                }
                SortedMap<String, String> xattrs = type == 'f' || type == 'd' ? userXattrs(p) : new TreeMap<>();
                nodes.put(name, new Node(type, type == 'l' ? 0 : mode & 07777, (Integer) a.get("uid"),
                        (Integer) a.get("gid"), size, content, target, xattrs));
                if (type != 'd') {
                    inodes.put(name, a.get("ino"));
                }
            }
        }
        return new TreeSnapshot(nodes, inodes);
    }

    public SortedMap<String, Node> nodes() {
        return java.util.Collections.unmodifiableSortedMap(nodes);
    }

    public Node get(String path) {
        return nodes.get(path);
    }

    public boolean contains(String path) {
        return nodes.containsKey(path);
    }

    /** Paths directly under {@code dir} ("" for the root). */
    public SortedSet<String> children(String dir) {
        SortedSet<String> out = new TreeSet<>();
        String prefix = dir.isEmpty() ? "" : dir + "/";
        for (String p : nodes.keySet()) {
            if (p.startsWith(prefix) && p.length() > prefix.length() && p.indexOf('/', prefix.length()) < 0) {
                out.add(p.substring(prefix.length()));
            }
        }
        return out;
    }

    /** Groups of two or more paths that are hard links of one another. */
    public Set<SortedSet<String>> hardlinks() {
        Map<Object, SortedSet<String>> groups = new HashMap<>();
        linkIdentity.forEach((path, id) -> groups.computeIfAbsent(id, k -> new TreeSet<>()).add(path));
        Set<SortedSet<String>> out = new java.util.HashSet<>();
        for (SortedSet<String> g : groups.values()) {
            if (g.size() > 1) {
                out.add(g);
            }
        }
        return out;
    }

    /** Whether two paths are the same file. */
    public boolean sameFile(String a, String b) {
        Object ia = linkIdentity.get(a);
        return ia != null && ia.equals(linkIdentity.get(b));
    }

    /** This snapshot with {@code paths} taken out of hard-link comparison (their nodes are still compared). */
    public TreeSnapshot ignoringLinksOf(String... paths) {
        Map<String, Object> ids = new HashMap<>(linkIdentity);
        for (String p : paths) {
            ids.put(p, new Object());
        }
        return new TreeSnapshot(nodes, ids);
    }

    /** Human-readable differences between this (expected) snapshot and {@code actual}; empty when they agree. */
    public List<String> differences(TreeSnapshot actual) {
        List<String> out = new ArrayList<>();
        for (var e : nodes.entrySet()) {
            Node other = actual.nodes.get(e.getKey());
            if (other == null) {
                out.add("missing " + e.getKey() + " (" + e.getValue() + ")");
            } else if (!other.equals(e.getValue())) {
                out.add("differs " + e.getKey() + ": expected " + e.getValue() + ", got " + other);
            }
        }
        for (var e : actual.nodes.entrySet()) {
            if (!nodes.containsKey(e.getKey())) {
                out.add("unexpected " + e.getKey() + " (" + e.getValue() + ")");
            }
        }
        Set<SortedSet<String>> mine = hardlinks();
        Set<SortedSet<String>> theirs = actual.hardlinks();
        if (!mine.equals(theirs)) {
            out.add("hard links differ: expected " + mine + ", got " + theirs);
        }
        return out;
    }

    /**
     * The tree after applying layer {@code layer} on top of this one, by the OCI image spec: whiteouts and opaque
     * markers hide content of the lower layers only (never entries of the same layer), then every other entry is
     * added, a directory entry over an existing directory only changing its attributes.
     */
    public TreeSnapshot apply(TarBuilder layer) {
        SortedMap<String, Node> out = new TreeMap<>(nodes);
        Map<String, Object> ids = new HashMap<>(linkIdentity);
        for (TarBuilder.Entry e : layer.entries()) {
            if (!e.isWhiteout()) {
                continue;
            }
            String path = e.path();
            int slash = path.lastIndexOf('/');
            String dir = slash < 0 ? "" : path.substring(0, slash);
            String name = path.substring(slash + 1);
            if (name.equals(TarBuilder.OPAQUE_MARKER)) {
                removeUnder(out, ids, dir, false);
            } else {
                String victim = (dir.isEmpty() ? "" : dir + "/") + name.substring(TarBuilder.WHITEOUT_PREFIX.length());
                removeUnder(out, ids, victim, true);
            }
        }
        for (TarBuilder.Entry e : layer.entries()) {
            if (e.isWhiteout()) {
                continue;
            }
            String path = e.path();
            Node existing = out.get(path);
            Node node;
            switch (e.type()) {
                case TarBuilder.DIRECTORY -> {
                    if (existing != null && existing.type != 'd') {
                        removeUnder(out, ids, path, true);
                    }
                    node = new Node('d', e.mode(), e.uid(), e.gid(), 0, null, null, xattrs(e));
                    out.put(path, node);
                    ids.remove(path);
                    continue;
                }
                case TarBuilder.REGULAR -> node = new Node('f', e.mode(), e.uid(), e.gid(), e.content().length,
                        sha256(e.content()), null, xattrs(e));
                case TarBuilder.SYMLINK -> node = new Node('l', 0, e.uid(), e.gid(), 0, null, e.linkTarget(),
                        new TreeMap<>());
                case TarBuilder.FIFO -> node = new Node('p', e.mode(), e.uid(), e.gid(), 0, null, null, xattrs(e));
                case TarBuilder.HARDLINK -> {
                    Node target = out.get(e.linkTarget());
                    if (target == null) {
                        throw new IllegalArgumentException("hard link to a path not in the tree: " + e.linkTarget());
                    }
                    removeUnder(out, ids, path, true);
                    out.put(path, target);
                    ids.put(path, ids.computeIfAbsent(e.linkTarget(), k -> new Object()));
                    continue;
                }
                default -> throw new IllegalArgumentException("entry type not modelled: " + e.type());
            }
            removeUnder(out, ids, path, true);
            out.put(path, node);
            ids.put(path, new Object());
        }
        return new TreeSnapshot(out, ids);
    }

    private static void removeUnder(SortedMap<String, Node> nodes, Map<String, Object> ids, String path,
            boolean itself) {
        if (itself) {
            nodes.remove(path);
            ids.remove(path);
        }
        String prefix = path.isEmpty() ? "" : path + "/";
        Collection<String> under = new ArrayList<>(nodes.subMap(prefix, prefix + Character.MAX_VALUE).keySet());
        if (path.isEmpty()) {
            under = new ArrayList<>(nodes.keySet());
        }
        for (String p : under) {
            nodes.remove(p);
            ids.remove(p);
        }
    }

    private static SortedMap<String, String> xattrs(TarBuilder.Entry e) {
        SortedMap<String, String> out = new TreeMap<>();
        e.xattrs().forEach((k, v) -> {
            if (k.startsWith("user.")) {
                out.put(k, show(v));
            }
        });
        return out;
    }

    private static SortedMap<String, String> userXattrs(Path p) throws IOException {
        SortedMap<String, String> out = new TreeMap<>();
        UserDefinedFileAttributeView view = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        for (String name : view.list()) {
            ByteBuffer buf = ByteBuffer.allocate(view.size(name));
            view.read(name, buf);
            out.put("user." + name, show(buf.array()));
        }
        return out;
    }

    private static String show(byte[] value) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(value)).toString();
        } catch (CharacterCodingException e) {
            return "0x" + HexFormat.of().formatHex(value);
        }
    }

    private static char typeOf(int mode) {
        return switch (mode & 0170000) {
            case 0040000 -> 'd';
            case 0100000 -> 'f';
            case 0120000 -> 'l';
            case 0010000 -> 'p';
            case 0020000 -> 'c';
            case 0060000 -> 'b';
            case 0140000 -> 's';
            default -> '?';
        };
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
