package keel.engine.core.internal.image.archive;

import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/** An OCI platform ({@code linux/amd64}, {@code linux/arm64/v8}) and which descriptors match it. */
public record Platform(String os, String architecture, String variant) {

    /** This host's platform, in Go's architecture names. */
    public static Platform host() {
        return new Platform("linux", goArch(System.getProperty("os.arch")), null);
    }

    /** Go's name (GOARCH) of a JVM {@code os.arch}. */
    public static String goArch(String javaArch) {
        return switch (javaArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i486", "i586", "i686" -> "386";
            case "arm" -> "arm";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            case "riscv64" -> "riscv64";
            default -> javaArch;
        };
    }

    /**
     * Parses {@code os[/arch[/variant]]}.
     *
     * @throws IllegalArgumentException when malformed
     */
    public static Platform parse(String s) {
        String[] p = s.toLowerCase(Locale.ROOT).split("/");
        if (p.length > 3 || p[0].isEmpty()) {
            throw new IllegalArgumentException("\"" + s + "\": unknown operating system or architecture");
        }
        Platform host = host();
        return new Platform(p[0], p.length > 1 ? p[1] : host.architecture(), p.length > 2 ? p[2] : null);
    }

    /** Whether a descriptor's {@code platform} object names this platform (an arm64 variant may be v8 or absent). */
    public boolean matches(JsonNode p) {
        String pos = p.path("os").asText("");
        String parch = p.path("architecture").asText("");
        String pvariant = p.path("variant").asText("");
        if (!pos.equals(os) || !parch.equals(architecture)) {
            return false;
        }
        if (variant == null || variant.isEmpty()) {
            return pvariant.isEmpty() || (architecture.equals("arm64") && pvariant.equals("v8"));
        }
        return pvariant.equals(variant) || (pvariant.isEmpty() && architecture.equals("arm64") && variant.equals("v8"));
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null || variant.isEmpty() ? "" : "/" + variant);
    }
}
