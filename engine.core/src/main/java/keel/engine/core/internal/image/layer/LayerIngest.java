package keel.engine.core.internal.image.layer;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.function.LongConsumer;

import keel.engine.api.storage.LayerStore;
import keel.engine.core.internal.image.disk.AtomicFiles;

/**
 * Turns one uncompressed layer tar into a driver layer, measuring on the way what the engine must know about it:
 * its DiffID (sha256 of every byte of the stream, trailing padding included, as Docker computes it) and its
 * tar-split record. Nothing is registered here: the caller decides under its lock whether the layer is new
 * ({@link LayerDb#commit}) or a concurrent load was faster (then it discards this one).
 */
public final class LayerIngest {

    /** File name of the tar-split record in a layer's directory. */
    public static final String TAR_SPLIT = "tar-split";

    /**
     * A driver layer made from a tar, with its record in {@code stagingDir}; owned by the caller, who registers or
     * {@linkplain #discard discards} it.
     */
    public record Staged(String cacheId, String diffId, long size, long tarLength, Path stagingDir) {}

    /** The stream is not a layer tar (garbage, truncated): Docker's load and import reject it. */
    public static final class InvalidLayerException extends IOException {
        private static final long serialVersionUID = 1L;

        public InvalidLayerException(String message) {
            super(message);
        }
    }

    private LayerIngest() {}

    /**
     * Applies {@code tar} as driver layer {@code cacheId} on top of driver layer {@code parentCacheId} (null for a
     * base layer).
     *
     * @param cacheId    a fresh random id (see {@link AtomicFiles#randomHex})
     * @param stagingDir an empty directory that receives the tar-split record
     * @param progress   told the number of tar bytes read so far, now and then
     */
    public static Staged apply(LayerStore store, String cacheId, String parentCacheId, InputStream tar,
            Path stagingDir, LongConsumer progress) throws IOException {
        MessageDigest digest = Digests.sha256();
        Path record = stagingDir.resolve(TAR_SPLIT);
        boolean ok = false;
        try (OutputStream recordOut = Files.newOutputStream(record);
                TarSplitWriter writer = new TarSplitWriter(recordOut)) {
            TarSplitRecorder recorder = new TarSplitRecorder(writer);
            Observed observed = new Observed(tar, digest, recorder, progress);
            long size = store.applyDiff(cacheId, parentCacheId, observed);
            // The driver stops at the end-of-archive blocks; the DiffID covers what follows them too.
            observed.drain();
            recorder.finish();
            writer.close();
            if (recorder.problem() != null) {
                throw new InvalidLayerException(recorder.problem());
            }
            ok = true;
            return new Staged(cacheId, Digests.of(digest), size, observed.count, stagingDir);
        } finally {
            if (!ok) {
                store.remove(cacheId);
            }
        }
    }

    /** Removes a staged layer that was not registered: its driver layer and its record. */
    public static void discard(LayerStore store, Staged staged) throws IOException {
        try {
            store.remove(staged.cacheId());
        } finally {
            AtomicFiles.removeTree(staged.stagingDir());
        }
    }

    /** Passes the tar to the driver while digesting and recording it; ignores the driver's close. */
    private static final class Observed extends FilterInputStream {
        private final MessageDigest digest;
        private final TarSplitRecorder recorder;
        private final LongConsumer progress;
        private long count;
        private long reported;

        Observed(InputStream in, MessageDigest digest, TarSplitRecorder recorder, LongConsumer progress) {
            super(in);
            this.digest = digest;
            this.recorder = recorder;
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                digest.update(b, off, n);
                recorder.feed(b, off, n);
                count += n;
                if (progress != null && count - reported >= 512 * 1024) {
                    reported = count;
                    progress.accept(count);
                }
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // Skipped bytes still belong to the DiffID and the record: read them.
            byte[] buf = new byte[8192];
            long done = 0;
            while (done < n) {
                int r = read(buf, 0, (int) Math.min(buf.length, n - done));
                if (r < 0) {
                    break;
                }
                done += r;
            }
            return done;
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        @Override
        public void close() {
            // The caller drains and closes the source.
        }

        void drain() throws IOException {
            byte[] buf = new byte[64 * 1024];
            while (read(buf, 0, buf.length) >= 0) {
                // read() digests and records
            }
            if (progress != null) {
                progress.accept(count);
            }
        }
    }
}
