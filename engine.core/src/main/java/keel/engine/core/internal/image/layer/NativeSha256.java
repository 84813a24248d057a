package keel.engine.core.internal.image.layer;

import java.lang.ref.Cleaner;
import java.security.MessageDigest;
import java.util.logging.Level;
import java.util.logging.Logger;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.Out;
import jnr.ffi.types.size_t;

/**
 * SHA-256 by the host's libcrypto (OpenSSL's EVP interface), which uses the CPU's SHA extensions. The daemon runs
 * with the client compiler only (see bin/keeld), which does not compile the JDK's SHA-256 into those instructions:
 * there the JDK hashes a layer at ~150 MB/s, libcrypto at ~1.5 GB/s. Where libcrypto cannot be loaded,
 * {@link Digests#sha256} falls back to the JDK's.
 *
 * <p>Bytes are gathered in a native buffer and handed to OpenSSL a buffer at a time, so that small updates (a tar
 * header) cost a copy rather than a native call.
 */
final class NativeSha256 extends MessageDigest {

    private static final Logger LOG = Logger.getLogger(NativeSha256.class.getName());
    private static final int BUFFER = 64 * 1024;
    private static final int LENGTH = 32;
    private static final Cleaner CLEANER = Cleaner.create();

    /** The slice of libcrypto used; signatures as in EVP_DigestInit(3). */
    public interface LibCrypto {
        Pointer EVP_MD_CTX_new();

        void EVP_MD_CTX_free(Pointer ctx);

        Pointer EVP_sha256();

        int EVP_DigestInit_ex(Pointer ctx, Pointer type, Pointer engine);

        int EVP_DigestUpdate(Pointer ctx, Pointer data, @size_t long count);

        int EVP_DigestFinal_ex(Pointer ctx, @Out byte[] md, Pointer size);
    }

    /** libcrypto, loaded once; null where it is missing or unusable. */
    private static final class Library {
        static final LibCrypto CRYPTO = load();
        static final Pointer SHA256 = CRYPTO == null ? null : CRYPTO.EVP_sha256();

        private static LibCrypto load() {
            for (String name : new String[] {"libcrypto.so.3", "crypto"}) {
                try {
                    LibCrypto c = LibraryLoader.create(LibCrypto.class).failImmediately().load(name);
                    if (c.EVP_sha256() != null) {
                        return c;
                    }
                } catch (Throwable t) {
                    LOG.log(Level.FINE, "libcrypto as " + name + " cannot be loaded", t);
                }
            }
            LOG.info("libcrypto (OpenSSL 3) is not available: layers are hashed by the JDK, more slowly");
            return null;
        }
    }

    static boolean available() {
        return Library.CRYPTO != null;
    }

    /** Frees the context once the digest is unreachable. */
    private record Context(LibCrypto crypto, Pointer ctx) implements Runnable {
        @Override
        public void run() {
            crypto.EVP_MD_CTX_free(ctx);
        }
    }

    private final LibCrypto crypto;
    private final Pointer ctx;
    private final Pointer buffer;
    private int buffered;

    NativeSha256() {
        super("SHA-256");
        this.crypto = Library.CRYPTO;
        if (crypto == null) {
            throw new IllegalStateException("libcrypto is not available");
        }
        this.ctx = crypto.EVP_MD_CTX_new();
        if (ctx == null) {
            throw new OutOfMemoryError("EVP_MD_CTX_new");
        }
        CLEANER.register(this, new Context(crypto, ctx));
        this.buffer = Memory.allocateDirect(Runtime.getRuntime(crypto), BUFFER);
        init();
    }

    private void init() {
        buffered = 0;
        if (crypto.EVP_DigestInit_ex(ctx, Library.SHA256, null) != 1) {
            throw new IllegalStateException("EVP_DigestInit_ex failed");
        }
    }

    private void flush() {
        if (buffered > 0) {
            if (crypto.EVP_DigestUpdate(ctx, buffer, buffered) != 1) {
                throw new IllegalStateException("EVP_DigestUpdate failed");
            }
            buffered = 0;
        }
    }

    @Override
    protected void engineUpdate(byte input) {
        if (buffered == BUFFER) {
            flush();
        }
        buffer.putByte(buffered++, input);
    }

    @Override
    protected void engineUpdate(byte[] input, int offset, int len) {
        while (len > 0) {
            if (buffered == BUFFER) {
                flush();
            }
            int n = Math.min(len, BUFFER - buffered);
            buffer.put(buffered, input, offset, n);
            buffered += n;
            offset += n;
            len -= n;
        }
    }

    @Override
    protected int engineGetDigestLength() {
        return LENGTH;
    }

    @Override
    protected byte[] engineDigest() {
        flush();
        byte[] out = new byte[LENGTH];
        if (crypto.EVP_DigestFinal_ex(ctx, out, null) != 1) {
            throw new IllegalStateException("EVP_DigestFinal_ex failed");
        }
        init();
        return out;
    }

    @Override
    protected void engineReset() {
        init();
    }
}
