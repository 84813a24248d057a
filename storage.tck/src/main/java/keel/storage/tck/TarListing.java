package keel.storage.tck;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a tar (what {@code writeDiff} produced) into a list of entries, so that the suite can check a diff entry by
 * entry without trusting the archiver under test to read it back. Understands ustar (with its name prefix), PAX
 * ({@code path}, {@code linkpath}, {@code size}, {@code SCHILY.xattr.*}) and GNU long names, base-256 numbers.
 * Names are normalized: no leading {@code ./} or {@code /}, no trailing {@code /}; the root entry is dropped.
 */
public final class TarListing {

    /** One entry as read; {@code content} holds a regular file's bytes. */
    public record Entry(String name, char type, int mode, int uid, int gid, long mtime, String linkName,
            Map<String, byte[]> xattrs, byte[] content) {

        public String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    private final List<Entry> entries;

    private TarListing(List<Entry> entries) {
        this.entries = entries;
    }

    public List<Entry> entries() {
        return Collections.unmodifiableList(entries);
    }

    public Optional<Entry> find(String name) {
        return entries.stream().filter(e -> e.name.equals(name)).findFirst();
    }

    public Entry get(String name) {
        return find(name).orElseThrow(() -> new AssertionError("no entry " + name + " in the tar; entries: " + names()));
    }

    public List<String> names() {
        return entries.stream().map(Entry::name).toList();
    }

    public static TarListing read(byte[] tar) throws IOException {
        return read(new java.io.ByteArrayInputStream(tar));
    }

    public static TarListing read(InputStream in) throws IOException {
        List<Entry> entries = new ArrayList<>();
        Map<String, byte[]> pax = new LinkedHashMap<>();
        String longName = null;
        String longLink = null;
        byte[] header = new byte[512];
        while (true) {
            if (!readBlock(in, header, true)) {
                break;
            }
            if (allZero(header)) {
                break;
            }
            verifyChecksum(header);
            char type = (char) (header[156] == 0 ? '0' : header[156]);
            long size = number(header, 124, 12);
            if (pax.containsKey("size")) {
                size = Long.parseLong(new String(pax.get("size"), StandardCharsets.UTF_8));
            }
            byte[] data = readData(in, type == '1' || type == '2' || type == '3' || type == '4' || type == '5'
                    || type == '6' ? 0 : size);
            switch (type) {
                case 'x' -> {
                    parsePax(data, pax);
                    continue;
                }
                case 'g' -> {
                    continue;
                }
                case 'L' -> {
                    longName = cString(data, 0, data.length);
                    continue;
                }
                case 'K' -> {
                    longLink = cString(data, 0, data.length);
                    continue;
                }
                default -> {
                }
            }
            String name = cString(header, 0, 100);
            String prefix = cString(header, 345, 155);
            if (!prefix.isEmpty() && "ustar".equals(cString(header, 257, 6).trim())) {
                name = prefix + "/" + name;
            }
            if (longName != null) {
                name = longName;
            }
            if (pax.containsKey("path")) {
                name = new String(pax.get("path"), StandardCharsets.UTF_8);
            }
            String link = cString(header, 157, 100);
            if (longLink != null) {
                link = longLink;
            }
            if (pax.containsKey("linkpath")) {
                link = new String(pax.get("linkpath"), StandardCharsets.UTF_8);
            }
            Map<String, byte[]> xattrs = new LinkedHashMap<>();
            pax.forEach((k, v) -> {
                if (k.startsWith("SCHILY.xattr.")) {
                    xattrs.put(k.substring("SCHILY.xattr.".length()), v);
                }
            });
            String normalized = normalize(name);
            if (!normalized.isEmpty()) {
                String normalizedLink = type == '1' ? normalize(link) : link;
                entries.add(new Entry(normalized, type, (int) number(header, 100, 8) & 07777,
                        (int) number(header, 108, 8), (int) number(header, 116, 8), number(header, 136, 12),
                        normalizedLink, xattrs, type == '0' || type == '7' ? data : new byte[0]));
            }
            pax.clear();
            longName = null;
            longLink = null;
        }
        return new TarListing(entries);
    }

    static String normalize(String name) {
        String n = name;
        while (n.startsWith("./") || n.startsWith("/")) {
            n = n.startsWith("./") ? n.substring(2) : n.substring(1);
        }
        while (n.endsWith("/")) {
            n = n.substring(0, n.length() - 1);
        }
        return n.equals(".") ? "" : n;
    }

    private static boolean readBlock(InputStream in, byte[] block, boolean eofAllowed) throws IOException {
        int off = 0;
        while (off < block.length) {
            int n = in.read(block, off, block.length - off);
            if (n < 0) {
                if (off == 0 && eofAllowed) {
                    return false;
                }
                throw new EOFException("truncated tar");
            }
            off += n;
        }
        return true;
    }

    private static byte[] readData(InputStream in, long size) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] block = new byte[512];
        long left = size;
        while (left > 0) {
            readBlock(in, block, false);
            out.write(block, 0, (int) Math.min(512, left));
            left -= 512;
        }
        return out.toByteArray();
    }

    private static void parsePax(byte[] data, Map<String, byte[]> pax) {
        int pos = 0;
        while (pos < data.length) {
            int space = pos;
            while (data[space] != ' ') {
                space++;
            }
            int len = Integer.parseInt(new String(data, pos, space - pos, StandardCharsets.US_ASCII));
            int eq = space + 1;
            while (data[eq] != '=') {
                eq++;
            }
            String key = new String(data, space + 1, eq - space - 1, StandardCharsets.UTF_8);
            byte[] value = java.util.Arrays.copyOfRange(data, eq + 1, pos + len - 1);
            pax.put(key, value);
            pos += len;
        }
    }

    private static long number(byte[] h, int off, int len) {
        if ((h[off] & 0x80) != 0) {
            long v = h[off] & 0x7f;
            for (int i = 1; i < len; i++) {
                v = (v << 8) | (h[off + i] & 0xff);
            }
            return v;
        }
        String s = cString(h, off, len).trim();
        return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static void verifyChecksum(byte[] h) throws IOException {
        long sum = 0;
        for (int i = 0; i < 512; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
        }
        if (sum != number(h, 148, 8)) {
            throw new IOException("bad tar header checksum");
        }
    }
}
