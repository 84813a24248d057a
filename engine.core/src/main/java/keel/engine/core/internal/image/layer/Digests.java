package keel.engine.core.internal.image.layer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The OCI image spec's content addresses: {@code sha256:<64 hex>} digests, a layer's DiffID (digest of its
 * uncompressed tar) and ChainID (the identity of a layer together with everything below it).
 */
public final class Digests {

    /** The only algorithm the engine stores content under (as Docker does). */
    public static final String SHA256 = "sha256:";

    private static final Pattern SHA256_DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");
    private static final Pattern HEX64 = Pattern.compile("[a-f0-9]{64}");

    private Digests() {}

    /** A SHA-256 digest: the host's libcrypto where it is there (see {@link NativeSha256}), else the JDK's. */
    public static MessageDigest sha256() {
        if (NativeSha256.available()) {
            return new NativeSha256();
        }
        return jdkSha256();
    }

    static MessageDigest jdkSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** {@code sha256:<hex>} of {@code data}. */
    public static String of(byte[] data) {
        return SHA256 + HexFormat.of().formatHex(sha256().digest(data));
    }

    /** {@code sha256:<hex>} of what {@code digest} has seen (the digest is reset). */
    public static String of(MessageDigest digest) {
        return SHA256 + HexFormat.of().formatHex(digest.digest());
    }

    /** Whether {@code s} is a well-formed {@code sha256:<64 lowercase hex>} digest. */
    public static boolean isSha256(String s) {
        return s != null && SHA256_DIGEST.matcher(s).matches();
    }

    /** Whether {@code s} is 64 lowercase hex digits. */
    public static boolean isHex64(String s) {
        return s != null && HEX64.matcher(s).matches();
    }

    /** The hex part of {@code sha256:<hex>}. */
    public static String hex(String digest) {
        if (!isSha256(digest)) {
            throw new IllegalArgumentException("not a sha256 digest: " + digest);
        }
        return digest.substring(SHA256.length());
    }

    /** Docker's short form of an ID: the first 12 hex digits, without the algorithm. */
    public static String shortId(String digest) {
        String hex = digest.startsWith(SHA256) ? digest.substring(SHA256.length()) : digest;
        return hex.length() > 12 ? hex.substring(0, 12) : hex;
    }

    /**
     * ChainID of a layer with DiffID {@code diffId} on top of the layer with ChainID {@code parentChainId} (null for
     * a base layer): ChainID(L1) = DiffID(L1), ChainID(Ln) = sha256(ChainID(Ln-1) + " " + DiffID(Ln)).
     */
    public static String chainId(String parentChainId, String diffId) {
        if (parentChainId == null) {
            return diffId;
        }
        return of((parentChainId + " " + diffId).getBytes(StandardCharsets.US_ASCII));
    }

    /** The ChainIDs of every layer of a rootfs, base first. */
    public static List<String> chainIds(List<String> diffIds) {
        List<String> out = new ArrayList<>(diffIds.size());
        String parent = null;
        for (String d : diffIds) {
            parent = chainId(parent, d);
            out.add(parent);
        }
        return out;
    }
}
