package keel.cli.internal.container.stream;

import java.io.ByteArrayOutputStream;

/**
 * moby/term's ToBytes for --detach-keys: comma-separated keys, each a single character, "ctrl-@" to "ctrl-_"
 * (ctrl-a is 1, ctrl-p 16, ctrl-[ 27) or "DEL". The default is ctrl-p,ctrl-q.
 */
public final class DetachKeys {

    public static final byte[] DEFAULT = {16, 17};

    private static final String CTRL = "@abcdefghijklmnopqrstuvwxyz[\\]^_";

    private DetachKeys() {
    }

    public static byte[] parse(String keys) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String key : keys.split(",", -1)) {
            if (key.length() == 1) {
                out.write(key.charAt(0));
                continue;
            }
            if (key.equals("DEL")) {
                out.write(127);
                continue;
            }
            if (key.startsWith("ctrl-") && key.length() == 6 && CTRL.indexOf(key.charAt(5)) >= 0) {
                out.write(CTRL.indexOf(key.charAt(5)));
                continue;
            }
            throw new IllegalArgumentException("Unknown character: '" + key + "'");
        }
        return out.toByteArray();
    }
}
