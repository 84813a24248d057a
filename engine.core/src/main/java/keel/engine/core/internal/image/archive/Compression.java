package keel.engine.core.internal.image.archive;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * Compression of an archive or layer, recognized by its magic bytes as Docker's {@code DecompressStream} does (the
 * media type or file name is not trusted).
 */
public enum Compression {
    NONE, GZIP, BZIP2, XZ, ZSTD;

    private static final int MAGIC_LENGTH = 6;

    /** The compression of a stream starting with {@code head}. */
    public static Compression detect(byte[] head, int len) {
        if (len >= 3 && (head[0] & 0xFF) == 0x1F && (head[1] & 0xFF) == 0x8B && head[2] == 8) {
            return GZIP;
        }
        if (len >= 3 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h') {
            return BZIP2;
        }
        if (len >= 6 && (head[0] & 0xFF) == 0xFD && head[1] == '7' && head[2] == 'z' && head[3] == 'X'
                && head[4] == 'Z' && head[5] == 0) {
            return XZ;
        }
        if (len >= 4 && (head[0] & 0xFF) == 0x28 && (head[1] & 0xFF) == 0xB5 && (head[2] & 0xFF) == 0x2F
                && (head[3] & 0xFF) == 0xFD) {
            return ZSTD;
        }
        return NONE;
    }

    /** The compression of a stream with mark support, without consuming it. */
    public static Compression peek(InputStream in) throws IOException {
        byte[] head = new byte[MAGIC_LENGTH];
        in.mark(MAGIC_LENGTH);
        int n = 0;
        try {
            while (n < MAGIC_LENGTH) {
                int r = in.read(head, n, MAGIC_LENGTH - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        } finally {
            in.reset();
        }
        return detect(head, n);
    }

    /**
     * The uncompressed content of {@code in}: plain, gzip, bzip2 or xz.
     *
     * @throws UnsupportedCompressionException for zstd, which the engine cannot decompress
     */
    public static InputStream decompress(InputStream in) throws IOException {
        InputStream buffered = in.markSupported() ? in : new BufferedInputStream(in, 64 * 1024);
        Compression c = peek(buffered);
        return switch (c) {
            case NONE -> buffered;
            case GZIP -> new GZIPInputStream(buffered, 64 * 1024);
            case BZIP2 -> new BZip2CompressorInputStream(buffered, true);
            case XZ -> new XZCompressorInputStream(buffered, true);
            case ZSTD -> throw new UnsupportedCompressionException(
                    "zstd-compressed content is not supported; decompress it first (zstd -d)");
        };
    }

    /** Content compressed in a way the engine cannot read. */
    public static final class UnsupportedCompressionException extends BadArchiveException {
        private static final long serialVersionUID = 1L;

        public UnsupportedCompressionException(String message) {
            super(message);
        }
    }
}
