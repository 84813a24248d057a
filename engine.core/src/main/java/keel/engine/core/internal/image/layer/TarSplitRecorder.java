package keel.engine.core.internal.image.layer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Follows a tar stream as it passes by (fed in arbitrary chunks) and writes its tar-split record: header blocks,
 * extended headers, padding and the end-of-archive blocks verbatim, regular file content as (path, size).
 *
 * <p>It parses the way Go's archive/tar (and so Docker) reads a layer: ustar, GNU and PAX headers, GNU long names,
 * PAX {@code path} and {@code size}; header-only types (links, devices, directories, FIFOs) carry no data whatever
 * their size field says. Content it cannot attribute to a file in the layer's tree (sparse files, whiteout files
 * with data, unknown types) is kept raw, so the record always rebuilds the exact stream. A stream that is not a
 * tar (bad header checksum before the end-of-archive blocks) or that ends inside an entry is reported by
 * {@link #problem()}.
 */
public final class TarSplitRecorder {

    private static final int BLOCK = 512;
    /** PAX and GNU long-name headers are small in practice; a bound keeps a hostile one from filling the heap. */
    private static final int MAX_META = 16 * 1024 * 1024;

    private enum State { HEADER, CONTENT, PADDING, TRAILER }

    private final TarSplitWriter out;
    private final byte[] block = new byte[BLOCK];
    private int blockFill;
    private State state = State.HEADER;
    private long remaining;
    private long padding;
    private boolean contentIsFile;
    private ByteArrayOutputStream meta;
    private char metaType;
    private String paxPath;
    private Long paxSize;
    private boolean paxSparse;
    private String gnuLongName;
    private long entries;
    private String problem;

    public TarSplitRecorder(TarSplitWriter out) {
        this.out = out;
    }

    /** Feeds the next bytes of the stream. */
    public void feed(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n;
            switch (state) {
                case HEADER:
                    n = Math.min(len, BLOCK - blockFill);
                    System.arraycopy(b, off, block, blockFill, n);
                    blockFill += n;
                    if (blockFill == BLOCK) {
                        blockFill = 0;
                        header();
                    }
                    break;
                case CONTENT:
                    n = (int) Math.min(len, remaining);
                    if (!contentIsFile) {
                        out.raw(b, off, n);
                        if (meta != null) {
                            meta.write(b, off, n);
                        }
                    }
                    remaining -= n;
                    if (remaining == 0) {
                        endOfContent();
                    }
                    break;
                case PADDING:
                    n = (int) Math.min(len, remaining);
                    out.raw(b, off, n);
                    remaining -= n;
                    if (remaining == 0) {
                        state = State.HEADER;
                    }
                    break;
                default:
                    n = len;
                    out.raw(b, off, n);
                    break;
            }
            off += n;
            len -= n;
        }
    }

    /** Ends the stream: records what is pending and notes a stream that stopped inside an entry. */
    public void finish() throws IOException {
        if (state == State.HEADER && blockFill > 0 || state == State.CONTENT || state == State.PADDING) {
            if (state == State.HEADER) {
                out.raw(block, 0, blockFill);
            }
            problem("unexpected EOF");
        }
        out.finish();
    }

    /** Why the stream is not a valid tar, or null. */
    public String problem() {
        return problem;
    }

    /** Entries seen (extended headers included). */
    public long entries() {
        return entries;
    }

    private void problem(String p) {
        if (problem == null) {
            problem = p;
        }
    }

    private void header() throws IOException {
        out.raw(block, 0, BLOCK);
        if (isZero(block)) {
            // End of archive. Go's reader stops here; anything after (the second zero block, the padding tar(1)
            // adds to fill a record) is kept raw.
            state = State.TRAILER;
            return;
        }
        if (!checksumOk(block)) {
            problem("invalid tar header");
            state = State.TRAILER;
            return;
        }
        entries++;
        char type = (char) (block[156] & 0xFF);
        long size;
        try {
            size = parseNumeric(block, 124, 12);
        } catch (NumberFormatException e) {
            problem("invalid tar header: bad size field");
            state = State.TRAILER;
            return;
        }
        String name = headerName(block);
        boolean metaEntry = type == 'x' || type == 'g' || type == 'L' || type == 'K';
        if (!metaEntry) {
            if (paxSize != null) {
                size = paxSize;
            }
            if (gnuLongName != null) {
                name = gnuLongName;
            }
            if (paxPath != null) {
                name = paxPath;
            }
        }
        if (isHeaderOnly(type) || type == '\0' && name.endsWith("/")) {
            // Go reads an old-style regular entry named "dir/" as a directory, and directories carry no data.
            size = 0;
        }
        if (size < 0) {
            problem("invalid tar header: negative size");
            state = State.TRAILER;
            return;
        }
        meta = null;
        contentIsFile = false;
        if (metaEntry) {
            metaType = type;
            if (type == 'x' || type == 'L') {
                if (size > MAX_META) {
                    problem("tar extended header of " + size + " bytes is too large");
                    state = State.TRAILER;
                    return;
                }
                meta = new ByteArrayOutputStream((int) size);
            }
        } else {
            boolean regular = type == '0' || type == '\0' || type == '7';
            if (regular && size > 0 && !paxSparse && !isWhiteout(name) && !name.endsWith("/")) {
                contentIsFile = true;
                out.file(name, size);
            }
            paxPath = null;
            paxSize = null;
            paxSparse = false;
            gnuLongName = null;
        }
        remaining = size;
        padding = (BLOCK - size % BLOCK) % BLOCK;
        if (size == 0) {
            endOfContent();
        } else {
            state = State.CONTENT;
        }
    }

    private void endOfContent() {
        if (meta != null) {
            byte[] m = meta.toByteArray();
            meta = null;
            if (metaType == 'L') {
                gnuLongName = cString(m, 0, m.length);
            } else {
                parsePax(m);
            }
        }
        remaining = padding;
        state = padding == 0 ? State.HEADER : State.PADDING;
    }

    /** PAX records: {@code "<len> <key>=<value>\n"}; only the keys that change where content goes matter here. */
    private void parsePax(byte[] m) {
        int i = 0;
        while (i < m.length) {
            int sp = i;
            while (sp < m.length && m[sp] != ' ') {
                sp++;
            }
            int len;
            try {
                len = Integer.parseInt(new String(m, i, sp - i, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                problem("invalid tar header: bad PAX record");
                return;
            }
            if (len <= sp - i || i + len > m.length) {
                problem("invalid tar header: bad PAX record");
                return;
            }
            String rec = new String(m, sp + 1, i + len - sp - 2, StandardCharsets.UTF_8);
            int eq = rec.indexOf('=');
            if (eq > 0) {
                String key = rec.substring(0, eq);
                String value = rec.substring(eq + 1);
                if (key.equals("path")) {
                    paxPath = value;
                } else if (key.equals("size")) {
                    try {
                        paxSize = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        problem("invalid tar header: bad PAX size");
                    }
                } else if (key.startsWith("GNU.sparse.")) {
                    paxSparse = true;
                }
            }
            i += len;
        }
    }

    private static boolean isHeaderOnly(char type) {
        return type == '1' || type == '2' || type == '3' || type == '4' || type == '5' || type == '6';
    }

    private static boolean isWhiteout(String name) {
        int slash = name.lastIndexOf('/', name.length() - 1);
        return name.startsWith(".wh.", slash + 1);
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    static boolean checksumOk(byte[] h) {
        long expected;
        try {
            expected = parseNumeric(h, 148, 8);
        } catch (NumberFormatException e) {
            return false;
        }
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            int v = (i >= 148 && i < 156) ? ' ' : h[i];
            unsigned += v & 0xFF;
            signed += (i >= 148 && i < 156) ? ' ' : h[i];
        }
        return expected == unsigned || expected == signed;
    }

    /** An octal field (NUL/space padded) or a base-256 one (high bit of the first byte set), as GNU tar writes. */
    static long parseNumeric(byte[] h, int off, int len) {
        if ((h[off] & 0x80) != 0) {
            if ((h[off] & 0x40) != 0) {
                throw new NumberFormatException("negative base-256 number");
            }
            long v = h[off] & 0x3F;
            for (int i = 1; i < len; i++) {
                if ((v >>> 55) != 0) {
                    throw new NumberFormatException("base-256 number too large");
                }
                v = (v << 8) | (h[off + i] & 0xFF);
            }
            return v;
        }
        int i = off;
        int end = off + len;
        while (i < end && (h[i] == ' ' || h[i] == 0)) {
            i++;
        }
        long v = 0;
        boolean any = false;
        for (; i < end && h[i] >= '0' && h[i] <= '7'; i++) {
            v = (v << 3) + (h[i] - '0');
            any = true;
        }
        for (; i < end; i++) {
            if (h[i] != ' ' && h[i] != 0) {
                throw new NumberFormatException("bad octal field");
            }
        }
        if (!any) {
            return 0;
        }
        return v;
    }

    private static String headerName(byte[] h) {
        String name = cString(h, 0, 100);
        boolean posix = Arrays.equals(Arrays.copyOfRange(h, 257, 263), "ustar\0".getBytes(StandardCharsets.US_ASCII));
        if (posix) {
            String prefix = cString(h, 345, 155);
            if (!prefix.isEmpty()) {
                name = prefix + "/" + name;
            }
        }
        return name;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }
}
