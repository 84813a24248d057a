package keel.engine.archive.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;

/**
 * PAX extended header records ({@code "%d %s=%s\n"}, POSIX.1-2001 pax(1)) with values kept as raw bytes.
 *
 * <p>commons-compress decodes every PAX value as UTF-8 text, which mangles binary extended attributes: a
 * {@code security.capability} value (struct vfs_cap_data) is rarely valid UTF-8, and Docker/Go and GNU tar write
 * it raw in a {@code SCHILY.xattr.security.capability} record. So Keel parses and writes these records itself
 * and leaves the block framing to commons-compress.
 */
public final class PaxRecords {

    /** Prefix of the records that carry extended attributes (star's and GNU tar's convention, Docker's too). */
    public static final String XATTR_PREFIX = "SCHILY.xattr.";

    private PaxRecords() {
    }

    /**
     * Parses the data of one or more consecutive PAX headers; a later record for a key replaces an earlier one.
     */
    public static Map<String, byte[]> parse(byte[] data, String entry) throws InvalidArchiveException {
        Map<String, byte[]> records = new LinkedHashMap<>();
        int pos = 0;
        while (pos < data.length) {
            if (data[pos] == 0) {
                // Some writers pad the header data with NULs; nothing follows them.
                break;
            }
            int space = pos;
            long length = 0;
            while (space < data.length && data[space] >= '0' && data[space] <= '9' && length < data.length) {
                length = length * 10 + (data[space] - '0');
                space++;
            }
            if (space == pos || space >= data.length || data[space] != ' ' || length <= space - pos + 1
                    || pos + length > data.length || data[(int) (pos + length - 1)] != '\n') {
                throw InvalidArchiveException.entry(entry, "malformed PAX extended header at byte " + pos);
            }
            int end = (int) (pos + length - 1);
            int equals = space + 1;
            while (equals < end && data[equals] != '=') {
                equals++;
            }
            if (equals == end || equals == space + 1) {
                throw InvalidArchiveException.entry(entry, "malformed PAX record at byte " + pos);
            }
            String key = new String(data, space + 1, equals - space - 1, StandardCharsets.UTF_8);
            byte[] value = new byte[end - equals - 1];
            System.arraycopy(data, equals + 1, value, 0, value.length);
            records.remove(key);
            records.put(key, value);
            pos = (int) (pos + length);
        }
        return records;
    }

    /** Encodes records in the map's order (callers pass a sorted map so that output is deterministic). */
    public static byte[] encode(SortedMap<String, byte[]> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> record : records.entrySet()) {
            byte[] key = record.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] value = record.getValue();
            // The length counts itself: find the number of digits that makes the total consistent.
            int body = 1 + key.length + 1 + value.length + 1;
            int length = body + 1;
            while (length != body + Integer.toString(length).length()) {
                length = body + Integer.toString(length).length();
            }
            out.writeBytes(Integer.toString(length).getBytes(StandardCharsets.US_ASCII));
            out.write(' ');
            out.writeBytes(key);
            out.write('=');
            out.writeBytes(value);
            out.write('\n');
        }
        return out.toByteArray();
    }
}
