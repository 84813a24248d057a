package keel.storage.tck;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds an uncompressed tar in the OCI layer format, entry by entry, as an image build would: POSIX ustar headers,
 * with a PAX header in front of an entry whose name or link target does not fit ustar's 100 bytes or that carries
 * extended attributes ({@code SCHILY.xattr.*}, as GNU tar and Docker write them).
 *
 * <p>The suite writes its layers with this rather than with the driver's archiver so that what a driver is fed does
 * not depend on the code under test. The entries stay readable ({@link #entries()}) so that
 * {@link TreeSnapshot#apply} can work out what a mount must show.
 */
public final class TarBuilder {

    /** Entry type flags of the ustar format. */
    public static final char REGULAR = '0', HARDLINK = '1', SYMLINK = '2', CHAR_DEVICE = '3', BLOCK_DEVICE = '4',
            DIRECTORY = '5', FIFO = '6';

    /** An OCI whiteout's name prefix and the name of the opaque-directory marker. */
    public static final String WHITEOUT_PREFIX = ".wh.", OPAQUE_MARKER = ".wh..wh..opq";

    private static final int BLOCK = 512;

    private final long mtime;
    private final List<Entry> entries = new ArrayList<>();

    /** A builder whose entries carry modification time {@code mtime} (seconds since the epoch) unless told. */
    public TarBuilder(long mtime) {
        this.mtime = mtime;
    }

    public TarBuilder() {
        this(1_700_000_000L);
    }

    public Entry dir(String path, int mode) {
        return add(new Entry(DIRECTORY, path, mode, null, null));
    }

    public Entry file(String path, int mode, byte[] content) {
        return add(new Entry(REGULAR, path, mode, content.clone(), null));
    }

    public Entry file(String path, int mode, String content) {
        return file(path, mode, content.getBytes(StandardCharsets.UTF_8));
    }

    public Entry symlink(String path, String target) {
        return add(new Entry(SYMLINK, path, 0777, null, target));
    }

    /** A hard link at {@code path} to the earlier entry {@code target} of the same archive. */
    public Entry hardlink(String path, String target) {
        return add(new Entry(HARDLINK, path, 0644, null, target));
    }

    public Entry fifo(String path, int mode) {
        return add(new Entry(FIFO, path, mode, null, null));
    }

    /** The OCI whiteout that deletes {@code path} (a file or a whole directory) of the lower layers. */
    public Entry whiteout(String path) {
        int slash = path.lastIndexOf('/');
        String name = slash < 0 ? WHITEOUT_PREFIX + path
                : path.substring(0, slash + 1) + WHITEOUT_PREFIX + path.substring(slash + 1);
        return add(new Entry(REGULAR, name, 0644, new byte[0], null));
    }

    /** The OCI marker that hides everything the lower layers have under directory {@code dir}. */
    public Entry opaque(String dir) {
        return add(new Entry(REGULAR, dir + "/" + OPAQUE_MARKER, 0644, new byte[0], null));
    }

    public List<Entry> entries() {
        return Collections.unmodifiableList(entries);
    }

    /** Bytes of regular-file content, each hard-linked file once: what a layer built from this tar holds. */
    public long contentSize() {
        long total = 0;
        for (Entry e : entries) {
            if (e.type == REGULAR) {
                total += e.content.length;
            }
        }
        return total;
    }

    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Entry e : entries) {
            write(out, e);
        }
        out.writeBytes(new byte[2 * BLOCK]);
        return out.toByteArray();
    }

    private Entry add(Entry e) {
        if (e.path.isEmpty() || e.path.startsWith("/")) {
            throw new IllegalArgumentException("entry names are relative: " + e.path);
        }
        entries.add(e);
        return e;
    }

    private void write(ByteArrayOutputStream out, Entry e) {
        String name = e.type == DIRECTORY ? e.path + "/" : e.path;
        String link = e.linkTarget == null ? "" : e.linkTarget;
        Map<String, byte[]> pax = new LinkedHashMap<>();
        if (!fitsUstar(name)) {
            pax.put("path", name.getBytes(StandardCharsets.UTF_8));
        }
        if (!fitsUstar(link)) {
            pax.put("linkpath", link.getBytes(StandardCharsets.UTF_8));
        }
        e.xattrs.forEach((k, v) -> pax.put("SCHILY.xattr." + k, v));
        if (!pax.isEmpty()) {
            byte[] records = paxRecords(pax);
            String paxName = "PaxHeaders.0/" + lastComponent(e.path);
            out.writeBytes(header(truncate(paxName), 0644, 0, 0, records.length, e.mtime, 'x', ""));
            out.writeBytes(records);
            pad(out, records.length);
        }
        long size = e.type == REGULAR ? e.content.length : 0;
        out.writeBytes(header(truncate(name), e.mode, e.uid, e.gid, size, e.mtime, e.type, truncate(link)));
        if (size > 0) {
            out.writeBytes(e.content);
            pad(out, size);
        }
    }

    private static boolean fitsUstar(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length <= 100 && s.chars().allMatch(c -> c < 0x80);
    }

    private static String truncate(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return b.length <= 100 ? s : new String(b, 0, 100, StandardCharsets.US_ASCII).replaceAll("[^ -~]", "_");
    }

    private static String lastComponent(String path) {
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return p.substring(p.lastIndexOf('/') + 1);
    }

    /** PAX records are {@code "<len> <key>=<value>\n"} where {@code len} counts the whole record, itself included. */
    private static byte[] paxRecords(Map<String, byte[]> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        records.forEach((key, value) -> {
            int body = 1 + key.getBytes(StandardCharsets.UTF_8).length + 1 + value.length + 1;
            int len = body + Integer.toString(body).length();
            if (Integer.toString(len).length() != Integer.toString(body).length()) {
                len++;
            }
            out.writeBytes((len + " " + key + "=").getBytes(StandardCharsets.UTF_8));
            out.writeBytes(value);
            out.write('\n');
        });
        return out.toByteArray();
    }

    private static byte[] header(String name, int mode, int uid, int gid, long size, long mtime, char type,
            String link) {
        byte[] h = new byte[BLOCK];
        put(h, 0, 100, name);
        octal(h, 100, 8, mode);
        octal(h, 108, 8, uid);
        octal(h, 116, 8, gid);
        octal(h, 124, 12, size);
        octal(h, 136, 12, mtime);
        h[156] = (byte) type;
        put(h, 157, 100, link);
        put(h, 257, 6, "ustar");
        put(h, 263, 2, "00");
        octal(h, 329, 8, 0);
        octal(h, 337, 8, 0);
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        String chk = String.format("%06o", sum);
        put(h, 148, 6, chk);
        h[154] = 0;
        h[155] = ' ';
        return h;
    }

    private static void put(byte[] h, int off, int len, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, h, off, Math.min(len, b.length));
    }

    private static void octal(byte[] h, int off, int len, long value) {
        String s = Long.toOctalString(value);
        if (s.length() > len - 1) {
            throw new IllegalArgumentException("value too large for a ustar field: " + value);
        }
        put(h, off, len - 1, "0".repeat(len - 1 - s.length()) + s);
    }

    private static void pad(ByteArrayOutputStream out, long size) {
        int rest = (int) (size % BLOCK);
        if (rest != 0) {
            out.writeBytes(new byte[BLOCK - rest]);
        }
    }

    /** One entry; the fluent setters return it so that a layer reads as a list of lines. */
    public final class Entry {
        private final char type;
        private final String path;
        private final byte[] content;
        private final String linkTarget;
        private final Map<String, byte[]> xattrs = new LinkedHashMap<>();
        private int mode;
        private int uid;
        private int gid;
        private long mtime = TarBuilder.this.mtime;

        private Entry(char type, String path, int mode, byte[] content, String linkTarget) {
            this.type = type;
            this.path = path;
            this.mode = mode;
            this.content = content;
            this.linkTarget = linkTarget;
        }

        public Entry owner(int uid, int gid) {
            this.uid = uid;
            this.gid = gid;
            return this;
        }

        public Entry xattr(String name, byte[] value) {
            xattrs.put(name, value.clone());
            return this;
        }

        public Entry xattr(String name, String value) {
            return xattr(name, value.getBytes(StandardCharsets.UTF_8));
        }

        public Entry mtime(long seconds) {
            this.mtime = seconds;
            return this;
        }

        public char type() {
            return type;
        }

        public String path() {
            return path;
        }

        public int mode() {
            return mode;
        }

        public int uid() {
            return uid;
        }

        public int gid() {
            return gid;
        }

        public long mtime() {
            return mtime;
        }

        public byte[] content() {
            return content == null ? null : content.clone();
        }

        public String linkTarget() {
            return linkTarget;
        }

        public Map<String, byte[]> xattrs() {
            return Collections.unmodifiableMap(xattrs);
        }

        /** Whether this is an OCI whiteout or opaque marker rather than content. */
        public boolean isWhiteout() {
            return lastComponent(path).startsWith(WHITEOUT_PREFIX);
        }
    }
}
