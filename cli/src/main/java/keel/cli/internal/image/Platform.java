package keel.cli.internal.image;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import keel.cli.internal.json.JsonWriter;

/** {@code os[/arch[/variant]]} as containerd's platforms.Parse normalizes it, and its JSON query form. */
final class Platform {

    private Platform() {
    }

    static String toJson(String spec) {
        String[] parts = spec.toLowerCase(Locale.ROOT).split("/");
        if (parts.length > 3 || parts[0].isEmpty()) {
            throw new IllegalArgumentException("invalid platform: \"" + spec
                    + "\": unknown operating system or architecture: invalid argument");
        }
        String os = parts[0].equals("macos") ? "darwin" : parts[0];
        String arch = parts.length > 1 ? parts[1] : System.getProperty("os.arch");
        String variant = parts.length > 2 ? parts[2] : "";
        switch (arch) {
            case "x86_64":
            case "x86-64":
                arch = "amd64";
                break;
            case "aarch64":
                arch = "arm64";
                if (variant.equals("v8")) {
                    variant = "";
                }
                break;
            case "armhf":
                arch = "arm";
                variant = "v7";
                break;
            case "i386":
                arch = "386";
                break;
            default:
                break;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("architecture", arch);
        m.put("os", os);
        if (!variant.isEmpty()) {
            m.put("variant", variant);
        }
        return JsonWriter.write(m, true);
    }
}
