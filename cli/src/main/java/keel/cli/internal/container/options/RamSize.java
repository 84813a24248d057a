package keel.cli.internal.container.options;

/**
 * go-units RAMInBytes: "64m", "1g", "512KiB", "1.5 GB" in binary units (k = 1024), case-insensitive, the "b" and
 * "ib" endings optional. docker reads --memory, --memory-swap, --shm-size and tmpfs-size this way.
 */
public final class RamSize {

    private RamSize() {
    }

    public static long inBytes(String size) throws BadValue {
        int sep = -1;
        for (int i = size.length() - 1; i >= 0; i--) {
            char c = size.charAt(i);
            if ((c >= '0' && c <= '9') || c == '.' || c == ' ') {
                sep = i;
                break;
            }
        }
        if (sep < 0) {
            throw new BadValue("invalid size: '" + size + "'");
        }
        String num;
        String sfx;
        if (size.charAt(sep) != ' ') {
            num = size.substring(0, sep + 1);
            sfx = size.substring(sep + 1);
        } else {
            num = size.substring(0, sep);
            sfx = size.substring(sep + 1);
        }
        double value = GoNumbers.parseFloat(num);
        if (value < 0) {
            throw new BadValue("invalid size: '" + size + "'");
        }
        if (sfx.isEmpty()) {
            return (long) value;
        }
        if (sfx.length() > 3) {
            throw badSuffix(sfx);
        }
        String lower = sfx.toLowerCase(java.util.Locale.ROOT);
        if (lower.charAt(0) == 'b') {
            if (lower.length() > 1) {
                throw badSuffix(lower);
            }
            return (long) value;
        }
        long mul;
        switch (lower.charAt(0)) {
            case 'k': mul = 1L << 10; break;
            case 'm': mul = 1L << 20; break;
            case 'g': mul = 1L << 30; break;
            case 't': mul = 1L << 40; break;
            case 'p': mul = 1L << 50; break;
            default: throw badSuffix(lower);
        }
        if ((lower.length() == 2 && lower.charAt(1) != 'b') || (lower.length() == 3 && !lower.endsWith("ib"))) {
            throw badSuffix(lower);
        }
        return (long) (value * mul);
    }

    private static BadValue badSuffix(String sfx) {
        return new BadValue("invalid suffix: '" + sfx + "'");
    }
}
