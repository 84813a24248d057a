package keel.engine.archive.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes tar blocks by hand, for archives no well-behaved writer produces: names and PAX overrides with
 * {@code ..}, absolute names, wrong declared sizes, truncation.
 */
final class RawTar {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    RawTar file(String name, String content) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        header(name, '0', data.length, "", 0644, 0, 0, 0);
        return data(data);
    }

    RawTar dir(String name) {
        return header(name, '5', 0, "", 0755, 0, 0, 0);
    }

    RawTar symlink(String name, String target) {
        return header(name, '2', 0, target, 0777, 0, 0, 0);
    }

    RawTar hardlink(String name, String target) {
        return header(name, '1', 0, target, 0644, 0, 0, 0);
    }

    RawTar device(String name, char type, int major, int minor) {
        return header(name, type, 0, "", 0666, 0, 0, 0, major, minor);
    }

    /** A PAX extended header for the next entry, values given as raw bytes or strings. */
    RawTar pax(Map<String, ?> records) {
        TreeMap<String, byte[]> raw = new TreeMap<>();
        records.forEach((k, v) -> raw.put(k, v instanceof byte[] b ? b : v.toString().getBytes(StandardCharsets.UTF_8)));
        byte[] data = PaxRecords.encode(raw);
        header("PaxHeaders/x", 'x', data.length, "", 0644, 0, 0, 0);
        return data(data);
    }

    /** A GNU long name ('L') header for the next entry. */
    RawTar gnuLongName(String name) {
        byte[] data = (name + "\0").getBytes(StandardCharsets.UTF_8);
        header("././@LongLink", 'L', data.length, "", 0644, 0, 0, 0);
        return data(data);
    }

    RawTar header(String name, char type, long size, String link, int mode, long uid, long gid, long mtime) {
        return header(name, type, size, link, mode, uid, gid, mtime, 0, 0);
    }

    RawTar header(String name, char type, long size, String link, int mode, long uid, long gid, long mtime,
            int major, int minor) {
        byte[] h = new byte[512];
        put(h, 0, 100, name.getBytes(StandardCharsets.UTF_8));
        octal(h, 100, 8, mode);
        octal(h, 108, 8, uid);
        octal(h, 116, 8, gid);
        octal(h, 124, 12, size);
        octal(h, 136, 12, mtime);
        Arrays.fill(h, 148, 156, (byte) ' ');
        h[156] = (byte) type;
        put(h, 157, 100, link.getBytes(StandardCharsets.UTF_8));
        put(h, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(h, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
        octal(h, 329, 8, major);
        octal(h, 337, 8, minor);
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, 8, String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(h);
        return this;
    }

    /** Content, padded to the 512-byte block. */
    RawTar data(byte[] data) {
        out.writeBytes(data);
        int pad = (512 - data.length % 512) % 512;
        out.writeBytes(new byte[pad]);
        return this;
    }

    RawTar raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    /** The archive with its end-of-archive blocks. */
    byte[] bytes() {
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        copy.writeBytes(out.toByteArray());
        copy.writeBytes(new byte[1024]);
        return copy.toByteArray();
    }

    /** The blocks written so far, without an end-of-archive marker. */
    byte[] unterminated() {
        return out.toByteArray();
    }

    InputStream stream() {
        return new ByteArrayInputStream(bytes());
    }

    private static void put(byte[] h, int offset, int length, byte[] value) {
        if (value.length > length) {
            throw new IllegalArgumentException("field too long: " + new String(value, StandardCharsets.UTF_8));
        }
        System.arraycopy(value, 0, h, offset, value.length);
    }

    private static void octal(byte[] h, int offset, int length, long value) {
        String s = String.format("%0" + (length - 1) + "o", value);
        put(h, offset, length, (s + "\0").getBytes(StandardCharsets.US_ASCII));
    }
}
