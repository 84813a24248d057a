package keel.cli.internal.container.options;

/**
 * A -v value as docker's compose loader splits it: {@code [source:]target[:options]}, where a source starting with
 * '/', '.' or '~' makes a bind mount, any other source names a volume, and no source means an anonymous volume.
 * Options are passed to the daemon untouched (it validates them). A single letter before a colon reads as a
 * Windows drive, as in docker, so "c:d" stays one section.
 */
public record VolumeSpec(String source, String target, boolean bind) {

    public static VolumeSpec parse(String spec) throws BadValue {
        if (spec.isEmpty()) {
            throw new BadValue("invalid empty volume spec");
        }
        if (spec.length() <= 2) {
            return new VolumeSpec("", spec, false);
        }
        String source = "";
        String target = "";
        StringBuilder buffer = new StringBuilder();
        String all = spec + '\0';
        for (int i = 0; i < all.length(); i++) {
            char c = all.charAt(i);
            boolean end = i == all.length() - 1;
            if (c == ':' && buffer.length() == 1 && Character.isLetter(buffer.charAt(0))) {
                buffer.append(c);
                continue;
            }
            if (c != ':' && !end) {
                buffer.append(c);
                continue;
            }
            if (buffer.length() == 0) {
                throw new BadValue("invalid spec: " + spec + ": empty section between colons");
            }
            if (source.isEmpty() && end && target.isEmpty()) {
                target = buffer.toString();
            } else if (source.isEmpty()) {
                source = buffer.toString();
            } else if (target.isEmpty()) {
                target = buffer.toString();
            } else if (c == ':') {
                throw new BadValue("invalid spec: " + spec + ": too many colons");
            }
            buffer.setLength(0);
        }
        return new VolumeSpec(source, target, !source.isEmpty() && isFilePath(source));
    }

    private static boolean isFilePath(String source) {
        char c = source.charAt(0);
        if (c == '.' || c == '/' || c == '~') {
            return true;
        }
        if (source.codePointCount(0, source.length()) == 1) {
            return false;
        }
        if (source.startsWith("\\\\")) {
            return true;
        }
        int first = source.codePointAt(0);
        int next = Character.charCount(first);
        return Character.isLetter(first) && next < source.length() && source.charAt(next) == ':';
    }
}
