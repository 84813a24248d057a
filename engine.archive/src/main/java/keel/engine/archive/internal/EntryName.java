package keel.engine.archive.internal;

import java.nio.charset.StandardCharsets;

/**
 * A cleaned relative path inside a layer ({@code usr/bin/sh}), the only form in which a tar entry's name or a
 * hardlink's target reaches the file system: no leading {@code /}, no {@code .} or empty components, and never a
 * {@code ..} component, so that resolving it against the target directory cannot climb out lexically (the
 * Zip-Slip class of bugs, CVE-2018-1002200 and relatives). Symlinks along the way are dealt with by
 * {@link TargetTree}.
 *
 * @param path components joined by {@code /}; empty for the root of the layer
 */
public record EntryName(String path) {

    /** The layer's root directory. */
    public static final EntryName ROOT = new EntryName("");

    /** Linux's NAME_MAX: longest file name component, in bytes. */
    static final int NAME_MAX = 255;

    /**
     * Cleans {@code raw} (strips {@code ./}, collapses {@code //}, drops a trailing {@code /}) and rejects what a
     * layer must never contain.
     *
     * @param what  what the name is, for the message ("name", "hardlink target")
     * @param entry the entry's raw name, for the message
     */
    public static EntryName parse(String raw, int maxLength, String what, String entry)
            throws InvalidArchiveException {
        if (raw == null || raw.isEmpty()) {
            throw InvalidArchiveException.entry(entry, what + " is empty");
        }
        if (raw.indexOf('\0') >= 0) {
            throw InvalidArchiveException.entry(entry, what + " contains a NUL byte");
        }
        if (raw.startsWith("/")) {
            throw InvalidArchiveException.entry(entry, what + " '" + InvalidArchiveException.printable(raw)
                    + "' is absolute");
        }
        StringBuilder clean = new StringBuilder(raw.length());
        for (String component : raw.split("/")) {
            if (component.isEmpty() || component.equals(".")) {
                continue;
            }
            if (component.equals("..")) {
                throw InvalidArchiveException.entry(entry, what + " '" + InvalidArchiveException.printable(raw)
                        + "' contains '..'");
            }
            if (component.getBytes(StandardCharsets.UTF_8).length > NAME_MAX) {
                throw InvalidArchiveException.entry(entry, what + " has a component longer than " + NAME_MAX
                        + " bytes");
            }
            if (clean.length() > 0) {
                clean.append('/');
            }
            clean.append(component);
        }
        String path = clean.toString();
        if (path.getBytes(StandardCharsets.UTF_8).length > maxLength) {
            throw InvalidArchiveException.entry(entry, what + " is longer than " + maxLength + " bytes");
        }
        return path.isEmpty() ? ROOT : new EntryName(path);
    }

    public boolean isRoot() {
        return path.isEmpty();
    }

    /** The directory holding this name; the root for a top-level name. */
    public EntryName parent() {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? ROOT : new EntryName(path.substring(0, slash));
    }

    /** The last component. */
    public String fileName() {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** {@code this/name}, for a single clean component {@code name}. */
    public EntryName child(String name) {
        return new EntryName(isRoot() ? name : path + "/" + name);
    }

    @Override
    public String toString() {
        return path.isEmpty() ? "." : path;
    }
}
