package keel.engine.api.oci;

import java.util.List;

/** The container's process: what runs, as whom, with which capabilities and limits. */
public record Process(
        Boolean terminal,
        Box consoleSize,
        User user,
        List<String> args,
        List<String> env,
        String cwd,
        Capabilities capabilities,
        List<Rlimit> rlimits,
        Boolean noNewPrivileges,
        String apparmorProfile,
        Integer oomScoreAdj,
        String selinuxLabel) {

    public record Box(int height, int width) {}

    public record User(long uid, long gid, Integer umask, List<Long> additionalGids, String username) {}

    /** Capability sets by name ({@code CAP_CHOWN}, ...). */
    public record Capabilities(
            List<String> bounding,
            List<String> effective,
            List<String> inheritable,
            List<String> permitted,
            List<String> ambient) {}

    /** {@code type} is the resource name as in setrlimit(2), e.g. {@code RLIMIT_NOFILE}. */
    public record Rlimit(String type, long hard, long soft) {}
}
