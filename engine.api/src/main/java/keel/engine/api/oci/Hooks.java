package keel.engine.api.oci;

import java.util.List;

/** Lifecycle hooks, run by the runtime in the runtime namespace unless the spec says otherwise. */
public record Hooks(
        List<Hook> prestart,
        List<Hook> createRuntime,
        List<Hook> createContainer,
        List<Hook> startContainer,
        List<Hook> poststart,
        List<Hook> poststop) {

    public record Hook(String path, List<String> args, List<String> env, Integer timeout) {}
}
