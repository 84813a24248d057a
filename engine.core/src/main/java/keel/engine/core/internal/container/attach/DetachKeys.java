package keel.engine.core.internal.container.attach;

import java.util.Arrays;

/**
 * The key sequence that detaches a client from a terminal ({@code --detach-keys}), as Docker's term.ToBytes reads
 * it: comma-separated keys, each a single character, {@code ctrl-a} ... {@code ctrl-z}, {@code ctrl-@},
 * {@code ctrl-[}, {@code ctrl-\}, {@code ctrl-]}, {@code ctrl-^}, {@code ctrl-_}, or {@code DEL}.
 */
public final class DetachKeys {

    /** ctrl-p, ctrl-q: Docker's default. */
    public static final byte[] DEFAULT = {16, 17};

    private static final String[] CONTROLS = {"ctrl-@", "ctrl-a", "ctrl-b", "ctrl-c", "ctrl-d", "ctrl-e", "ctrl-f",
        "ctrl-g", "ctrl-h", "ctrl-i", "ctrl-j", "ctrl-k", "ctrl-l", "ctrl-m", "ctrl-n", "ctrl-o", "ctrl-p", "ctrl-q",
        "ctrl-r", "ctrl-s", "ctrl-t", "ctrl-u", "ctrl-v", "ctrl-w", "ctrl-x", "ctrl-y", "ctrl-z", "ctrl-[",
        "ctrl-\\", "ctrl-]", "ctrl-^", "ctrl-_"};

    private DetachKeys() {}

    /**
     * Parses a sequence; an empty or null one is Docker's default.
     *
     * @throws IllegalArgumentException for an unknown key
     */
    public static byte[] parse(String keys) {
        if (keys == null || keys.isEmpty()) {
            return DEFAULT.clone();
        }
        byte[] out = new byte[0];
        next:
        for (String key : keys.split(",", -1)) {
            if (key.length() == 1) {
                out = append(out, (byte) key.charAt(0));
                continue;
            }
            for (int code = 0; code < CONTROLS.length; code++) {
                if (CONTROLS[code].equals(key)) {
                    out = append(out, (byte) code);
                    continue next;
                }
            }
            if (key.equals("DEL")) {
                out = append(out, (byte) 127);
                continue;
            }
            throw new IllegalArgumentException("Unknown character: '" + key + "'");
        }
        return out;
    }

    private static byte[] append(byte[] a, byte b) {
        byte[] r = Arrays.copyOf(a, a.length + 1);
        r[a.length] = b;
        return r;
    }
}
