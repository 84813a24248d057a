package keel.engine.core.internal.image.layer;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** Constants and varint coding of the tar-split record ({@link TarSplitWriter}, {@link TarSplitReader}). */
final class TarSplitFormat {

    static final String MAGIC = "KEEL-TAR-SPLIT 1\n";
    static final int END = 0;
    static final int RAW = 1;
    static final int FILE = 2;

    private TarSplitFormat() {}

    static void writeVarLong(DataOutput out, long v) throws IOException {
        if (v < 0) {
            throw new IllegalArgumentException("negative length " + v);
        }
        while ((v & ~0x7FL) != 0) {
            out.writeByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.writeByte((int) v);
    }

    static long readVarLong(DataInput in) throws IOException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.readUnsignedByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (v < 0) {
                    throw new IOException("corrupt tar-split record: negative length");
                }
                return v;
            }
        }
        throw new IOException("corrupt tar-split record: length too long");
    }
}
