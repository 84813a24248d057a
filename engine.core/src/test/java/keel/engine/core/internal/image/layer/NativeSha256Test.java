package keel.engine.core.internal.image.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The libcrypto digest against the JDK's, for the ways the engine feeds digests. */
class NativeSha256Test {

    @Test
    void libcryptoIsThereOnTheMachinesKeelSupports() {
        // bin/install-deps installs libssl3; without it the daemon still works, only hashes slower
        assertTrue(NativeSha256.available());
        assertTrue(Digests.sha256() instanceof NativeSha256);
    }

    @Test
    void knownAnswers() {
        MessageDigest d = new NativeSha256();
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                HexFormat.of().formatHex(d.digest()));
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                HexFormat.of().formatHex(d.digest("abc".getBytes())));
        assertEquals(32, d.getDigestLength());
    }

    @Test
    void equalsTheJdksForAnyWayOfFeedingIt() {
        Random random = new Random(42);
        for (int size : new int[] {0, 1, 55, 64, 65_535, 65_536, 65_537, 1_000_000, 3 * 65_536 + 7}) {
            byte[] data = new byte[size];
            random.nextBytes(data);
            byte[] expected = Digests.jdkSha256().digest(data);
            MessageDigest d = new NativeSha256();
            // in pieces of every size, single bytes included
            int at = 0;
            while (at < size) {
                int n = Math.min(size - at, random.nextInt(5) == 0 ? 1 : random.nextInt(100_000) + 1);
                if (n == 1) {
                    d.update(data[at]);
                } else {
                    d.update(data, at, n);
                }
                at += n;
            }
            assertArrayEquals(expected, d.digest(), "size " + size);
            // digest() resets: the same digest object serves again
            assertArrayEquals(expected, d.digest(data), "size " + size + ", reused");
        }
    }

    @Test
    void resetForgetsWhatWasFed() {
        MessageDigest d = new NativeSha256();
        d.update(new byte[1000]);
        d.reset();
        d.update("abc".getBytes());
        assertArrayEquals(Digests.jdkSha256().digest("abc".getBytes()), d.digest());
    }
}
