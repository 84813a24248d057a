package keel.engine.core.internal.daemon;

import org.osgi.framework.Bundle;
import org.osgi.framework.Version;

/** Keel's version as users see it: the engine bundle's version without the build qualifier. */
public final class KeelVersion {
    private KeelVersion() {}

    public static String of(Bundle bundle) {
        Version v = bundle.getVersion();
        String base = v.getMajor() + "." + v.getMinor() + "." + v.getMicro();
        return v.getQualifier().isEmpty() ? base : base + "-dev";
    }

    /** The commit the bundle was built from, recorded by the build in the manifest. */
    public static String commit(Bundle bundle) {
        String c = bundle.getHeaders().get("Keel-Commit");
        return c == null || c.isBlank() ? "unknown" : c;
    }
}
