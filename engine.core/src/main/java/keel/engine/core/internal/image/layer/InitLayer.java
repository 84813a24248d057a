package keel.engine.core.internal.image.layer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * An image's init layer, as Docker has one per container ({@code <mount-id>-init}): the mount points every
 * container needs ({@code /proc}, {@code /dev}, {@code /sys}, and the files {@code /etc/hosts},
 * {@code /etc/hostname}, {@code /etc/resolv.conf} that get bind-mounted), between the image and the container's
 * read-write layer. Without it the runtime makes them in each container's read-write layer when the image lacks
 * them (a minimal rootfs does), a dozen inodes made and deleted per container. Keel keeps one per image top layer,
 * made the first time a container of it is created: its content depends on nothing but the list below.
 *
 * <p>As with Docker's, an image's own {@code /etc/hosts} (and the two others) is hidden under an empty file; every
 * container gets its own bind-mounted over it anyway.
 */
public final class InitLayer {

    /** Driver layer ids of init layers: this prefix and the hex of the ChainID of the layer they sit on. */
    public static final String ID_PREFIX = "init-";

    private static final String[][] ENTRIES = {
        {"proc/", "755"}, {"dev/", "755"}, {"sys/", "755"}, {"etc/", "755"},
        {"etc/hosts", "644"}, {"etc/hostname", "644"}, {"etc/resolv.conf", "644"},
    };

    private InitLayer() {}

    /** The driver layer id of the init layer on top of layer {@code chainId}. */
    public static String idFor(String chainId) {
        return ID_PREFIX + Digests.hex(chainId);
    }

    /** The ChainID of the layer an init layer sits on, or null when {@code driverId} is not an init layer's. */
    public static String chainIdOf(String driverId) {
        if (!driverId.startsWith(ID_PREFIX) || !Digests.isHex64(driverId.substring(ID_PREFIX.length()))) {
            return null;
        }
        return Digests.SHA256 + driverId.substring(ID_PREFIX.length());
    }

    /** The layer as an uncompressed tar (ustar): directories and empty files owned by root. */
    public static byte[] tar() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String[] e : ENTRIES) {
            out.writeBytes(header(e[0], e[1], e[0].endsWith("/")));
        }
        out.writeBytes(new byte[1024]); // two zero blocks end the archive
        return out.toByteArray();
    }

    private static byte[] header(String name, String mode, boolean directory) {
        byte[] h = new byte[512];
        put(h, 0, 100, name);
        put(h, 100, 8, "0000" + mode);
        put(h, 108, 8, "0000000");
        put(h, 116, 8, "0000000");
        put(h, 124, 12, "00000000000");
        put(h, 136, 12, "00000000000");
        h[156] = (byte) (directory ? '5' : '0');
        put(h, 257, 6, "ustar");
        put(h, 263, 2, "00");
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        int sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, 6, String.format("%06o", sum));
        h[154] = 0; // six octal digits, NUL, space
        return h;
    }

    private static void put(byte[] h, int offset, int length, String value) {
        byte[] b = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, offset, Math.min(b.length, length));
    }
}
