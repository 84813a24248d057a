package keel.engine.api.oci;

import java.util.List;
import java.util.Map;

/** The root of config.json. */
public record Spec(
        String ociVersion,
        Process process,
        Root root,
        String hostname,
        String domainname,
        List<Mount> mounts,
        Hooks hooks,
        Map<String, String> annotations,
        Linux linux) {

    /** The runtime-spec version Keel writes. */
    public static final String VERSION = "1.2.0";

    public Spec withProcess(Process p) {
        return new Spec(ociVersion, p, root, hostname, domainname, mounts, hooks, annotations, linux);
    }
}
