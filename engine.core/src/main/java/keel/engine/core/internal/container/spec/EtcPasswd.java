package keel.engine.core.internal.container.spec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * /etc/passwd and /etc/group read as moby/sys/user reads them (the library dockerd and runc share), quirks
 * included, so that a user resolves to the same ids under Keel as under Docker: a field that is not a number reads
 * as 0, passwd has no comments (a "#..." line is an entry), group skips lines starting with '#'.
 */
final class EtcPasswd {

    private EtcPasswd() {}

    record User(String name, long uid, long gid, String home) {}

    record Group(String name, long gid, List<String> members) {}

    static List<User> parseUsers(byte[] content) {
        List<User> out = new ArrayList<>();
        if (content == null) {
            return out;
        }
        for (String raw : lines(content)) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(":", -1);
            out.add(new User(f[0], f.length > 2 ? atoi(f[2]) : 0, f.length > 3 ? atoi(f[3]) : 0,
                    f.length > 5 ? f[5] : ""));
        }
        return out;
    }

    static List<Group> parseGroups(byte[] content) {
        List<Group> out = new ArrayList<>();
        if (content == null) {
            return out;
        }
        for (String raw : lines(content)) {
            String line = raw.strip();
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            String[] f = line.split(":", -1);
            List<String> members = f.length > 3 && !f[3].isEmpty() ? Arrays.asList(f[3].split(",", -1)) : List.of();
            out.add(new Group(f[0], f.length > 2 ? atoi(f[2]) : 0, List.copyOf(members)));
        }
        return out;
    }

    /** Go's strconv.Atoi with the error dropped, as parseLine does: anything but a 64-bit decimal is 0. */
    static long atoi(String s) {
        Long v = parseLong(s);
        return v == null ? 0 : v;
    }

    /** Go's strconv.Atoi: optional sign, decimal digits; null when that is not what {@code s} is. */
    static Long parseLong(String s) {
        if (s.isEmpty() || !s.matches("[+-]?[0-9]+")) {
            return null;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Lines without their "\n" or "\r\n", as Go's bufio line readers return them. */
    private static List<String> lines(byte[] content) {
        String text = new String(content, StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        for (String l : text.split("\n", -1)) {
            out.add(l.endsWith("\r") ? l.substring(0, l.length() - 1) : l);
        }
        return out;
    }
}
