package keel.engine.archive.internal;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarUtils;

/**
 * commons-compress's tar reader, made strict and bounded for untrusted layers, and keeping the raw bytes it would
 * otherwise decode lossily.
 *
 * <ul>
 * <li>Every header's checksum is verified, so garbage is "not a tar archive" rather than a stream of odd entries,
 * and a stream that ends inside a header is "truncated" rather than a clean end of archive.</li>
 * <li>PAX and GNU long-name headers are bounded before they are read: commons-compress buffers them whole, so a
 * header declaring gigabytes would otherwise exhaust the heap. It also reads a chain of such headers by recursion,
 * which is bounded too (a long chain would overflow the stack).</li>
 * <li>The data of PAX headers is kept as bytes ({@link #paxRecords()}), so binary {@code SCHILY.xattr.*} values
 * survive, and the entry's name is taken from the raw PAX {@code path}, GNU long name or ustar name
 * ({@link #rawName()}) rather than from commons-compress, which silently strips a leading {@code /}: Keel wants to
 * see absolute names to reject them.</li>
 * </ul>
 */
final class LayerTarInputStream extends TarArchiveInputStream {

    private static final int RECORD_SIZE = 512;
    /** Extended headers one entry may have in front of it; writers emit at most one PAX and two GNU headers. */
    private static final int MAX_NESTED_HEADERS = 8;

    private final CountingInputStream counted;
    private final long maxExtendedHeaderSize;
    private final long maxLongNameSize;

    private final ByteArrayOutputStream pax = new ByteArrayOutputStream();
    private final ByteArrayOutputStream longName = new ByteArrayOutputStream();
    private final ByteArrayOutputStream longLink = new ByteArrayOutputStream();
    private byte[] header;
    private Map<String, byte[]> records = Map.of();
    private int depth;
    private boolean sparseExtensionFollows;
    private boolean endSeen;

    LayerTarInputStream(InputStream in, ExtractionLimits limits) {
        this(new CountingInputStream(in), limits);
    }

    private LayerTarInputStream(CountingInputStream counted, ExtractionLimits limits) {
        super(counted, StandardCharsets.UTF_8.name());
        this.counted = counted;
        // Room for every xattr record (the key and the framing double the bytes at worst), path and linkpath.
        this.maxExtendedHeaderSize = 2L * limits.maxXattrBytes() + 2L * limits.maxNameLength() + 64 * 1024;
        this.maxLongNameSize = limits.maxNameLength() + (long) RECORD_SIZE;
    }

    @Override
    public TarArchiveEntry getNextEntry() throws IOException {
        if (depth == 0) {
            pax.reset();
            longName.reset();
            longLink.reset();
            header = null;
            records = Map.of();
        }
        if (++depth > MAX_NESTED_HEADERS) {
            throw new InvalidArchiveException("invalid tar archive: more than " + MAX_NESTED_HEADERS
                    + " extended headers in a row at offset " + counted.count());
        }
        TarArchiveEntry entry;
        try {
            entry = super.getNextEntry();
        } catch (InvalidArchiveException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new InvalidArchiveException("invalid tar archive at offset " + counted.count() + ": "
                    + e.getMessage(), e);
        } finally {
            depth--;
        }
        if (depth == 0 && entry != null) {
            records = PaxRecords.parse(pax.toByteArray(), rawName());
        }
        return entry;
    }

    @Override
    public int read(byte[] buf, int offset, int length) throws IOException {
        int n;
        try {
            n = super.read(buf, offset, length);
        } catch (IOException | RuntimeException e) {
            throw new InvalidArchiveException("invalid tar archive at offset " + counted.count() + ": "
                    + e.getMessage(), e);
        }
        TarArchiveEntry current = getCurrentEntry();
        if (n > 0 && current != null) {
            if (current.isPaxHeader()) {
                pax.write(buf, offset, n);
            } else if (current.isGNULongNameEntry()) {
                longName.write(buf, offset, n);
            } else if (current.isGNULongLinkEntry()) {
                longLink.write(buf, offset, n);
            }
        }
        return n;
    }

    @Override
    protected byte[] readRecord() throws IOException {
        long offset = counted.count();
        byte[] record = super.readRecord();
        if (record == null) {
            if (counted.count() != offset) {
                throw new InvalidArchiveException("truncated tar archive: it ends inside the header at offset "
                        + offset);
            }
            return null;
        }
        if (endSeen) {
            // After the end-of-archive marker commons-compress peeks at the next record; whatever follows the
            // marker is not part of the archive.
            return record;
        }
        if (isZero(record)) {
            endSeen = true;
            return record;
        }
        if (sparseExtensionFollows) {
            // An old GNU sparse map continues in this record; it has no header checksum.
            sparseExtensionFollows = record[504] != 0;
            return record;
        }
        if (!checksumMatches(record)) {
            throw new InvalidArchiveException("not a tar archive, or a corrupt one: bad header checksum at offset "
                    + offset);
        }
        long size;
        try {
            size = TarUtils.parseOctalOrBinary(record, 124, 12);
        } catch (IllegalArgumentException e) {
            throw new InvalidArchiveException("invalid tar archive: bad size field in the header at offset "
                    + offset, e);
        }
        switch (record[156]) {
            case 'x', 'X', 'g' -> {
                if (size > maxExtendedHeaderSize) {
                    throw new InvalidArchiveException("invalid tar archive: PAX extended header of " + size
                            + " bytes at offset " + offset + " is larger than the limit of "
                            + maxExtendedHeaderSize);
                }
            }
            case 'L', 'K' -> {
                if (size > maxLongNameSize) {
                    throw new InvalidArchiveException("invalid tar archive: GNU long name of " + size
                            + " bytes at offset " + offset + " is longer than the limit of " + maxLongNameSize);
                }
            }
            case 'S' -> sparseExtensionFollows = record[482] != 0;
            default -> {
            }
        }
        header = record.clone();
        return record;
    }

    /** The current entry's PAX records, raw, from its local extended headers (global ones are ignored, as Docker does). */
    Map<String, byte[]> paxRecords() {
        return records;
    }

    /**
     * The current entry's name as the archive spells it: PAX {@code GNU.sparse.name} or {@code path}, else GNU long
     * name, else ustar prefix and name (the precedence Go's archive/tar, hence Docker, uses).
     */
    String rawName() {
        // GNU tar's PAX sparse format 1.0 keeps the real name here and a made-up one in "path" and the header.
        byte[] sparseName = records.get("GNU.sparse.name");
        if (sparseName != null && sparseName.length > 0) {
            return new String(sparseName, StandardCharsets.UTF_8);
        }
        byte[] path = records.get("path");
        if (path != null && path.length > 0) {
            return new String(path, StandardCharsets.UTF_8);
        }
        if (longName.size() > 0) {
            return cString(longName.toByteArray(), 0, longName.size());
        }
        if (header == null) {
            return "";
        }
        String name = cString(header, 0, 100);
        // POSIX ustar ("ustar\0" magic) splits long names into prefix and name; GNU's magic has no prefix field.
        if (header[257] == 'u' && header[262] == 0 && header[345] != 0) {
            return cString(header, 345, 155) + "/" + name;
        }
        return name;
    }

    /** The current entry's link target as the archive spells it: PAX {@code linkpath}, GNU long link, ustar. */
    String rawLinkName() {
        byte[] path = records.get("linkpath");
        if (path != null && path.length > 0) {
            return new String(path, StandardCharsets.UTF_8);
        }
        if (longLink.size() > 0) {
            return cString(longLink.toByteArray(), 0, longLink.size());
        }
        return header == null ? "" : cString(header, 157, 100);
    }

    private static String cString(byte[] bytes, int offset, int length) {
        int end = offset;
        while (end < offset + length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
    }

    /**
     * The header checksum: the sum of the header's bytes with the checksum field counted as spaces, stored in
     * octal. Both unsigned and signed sums are accepted (some old writers summed signed chars), as tar(1) does.
     */
    private static boolean checksumMatches(byte[] record) {
        long stored = 0;
        int i = 148;
        while (i < 156 && (record[i] == ' ' || record[i] == 0)) {
            i++;
        }
        int digits = 0;
        for (; i < 156 && record[i] >= '0' && record[i] <= '7'; i++, digits++) {
            stored = stored * 8 + (record[i] - '0');
        }
        if (digits == 0 || (i < 156 && record[i] != ' ' && record[i] != 0)) {
            return false;
        }
        long unsigned = 0;
        long signed = 0;
        for (int j = 0; j < record.length; j++) {
            byte b = j >= 148 && j < 156 ? (byte) ' ' : record[j];
            unsigned += b & 0xff;
            signed += b;
        }
        return stored == unsigned || stored == signed;
    }

    private static boolean isZero(byte[] record) {
        for (byte b : record) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** Counts the bytes read, to tell a truncated header from a clean end and to say where a problem is. */
    private static final class CountingInputStream extends FilterInputStream {
        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        long count() {
            return count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }

        @Override
        public void close() {
            // The caller owns the stream.
        }
    }
}
