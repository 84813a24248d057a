package keel.cli.internal.container.options;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * docker's --device for a Linux daemon: {@code host-path[:container-path][:permissions]} (permissions a
 * combination of r, w and m), validated as validateLinuxPath does, into a DeviceMapping.
 */
final class DeviceValue {

    private DeviceValue() {
    }

    static Map<String, Object> parse(String device) throws BadValue {
        String val = validate(device);
        String src;
        String dst = "";
        String permissions = "rwm";
        String[] arr = val.split(":", 4);
        switch (arr.length) {
            case 3:
                permissions = arr[2];
                // fall through
            case 2:
                if (validMode(arr[1])) {
                    permissions = arr[1];
                } else {
                    dst = arr[1];
                }
                // fall through
            case 1:
                src = arr[0];
                break;
            default:
                throw new BadValue("invalid device specification: " + device);
        }
        if (dst.isEmpty()) {
            dst = src;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("PathOnHost", src);
        m.put("PathInContainer", dst);
        m.put("CgroupPermissions", permissions);
        return m;
    }

    private static String validate(String val) throws BadValue {
        if (val.chars().filter(c -> c == ':').count() > 2) {
            throw new BadValue("bad format for path: " + val);
        }
        String[] split = val.split(":", 3);
        if (split[0].isEmpty()) {
            throw new BadValue("bad format for path: " + val);
        }
        String containerPath;
        switch (split.length) {
            case 1:
                containerPath = split[0];
                val = clean(containerPath);
                break;
            case 2:
                if (validMode(split[1])) {
                    containerPath = split[0];
                    val = clean(containerPath) + ":" + split[1];
                } else {
                    containerPath = split[1];
                    val = split[0] + ":" + clean(containerPath);
                }
                break;
            default:
                containerPath = split[1];
                if (!validMode(split[2])) {
                    throw new BadValue("bad mode specified: " + split[2]);
                }
                break;
        }
        if (!containerPath.startsWith("/")) {
            throw new BadValue(containerPath + " is not an absolute path");
        }
        return val;
    }

    private static boolean validMode(String mode) {
        if (mode.isEmpty()) {
            return false;
        }
        boolean r = false;
        boolean w = false;
        boolean m = false;
        for (char c : mode.toCharArray()) {
            switch (c) {
                case 'r': if (r) { return false; } r = true; break;
                case 'w': if (w) { return false; } w = true; break;
                case 'm': if (m) { return false; } m = true; break;
                default: return false;
            }
        }
        return true;
    }

    /** Go's path.Clean for the container side. */
    private static String clean(String p) {
        if (p.isEmpty()) {
            return ".";
        }
        boolean rooted = p.startsWith("/");
        java.util.Deque<String> out = new java.util.ArrayDeque<>();
        for (String part : p.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!out.isEmpty() && !out.peekLast().equals("..")) {
                    out.pollLast();
                } else if (!rooted) {
                    out.addLast("..");
                }
                continue;
            }
            out.addLast(part);
        }
        String joined = String.join("/", out);
        return rooted ? "/" + joined : joined.isEmpty() ? "." : joined;
    }
}
