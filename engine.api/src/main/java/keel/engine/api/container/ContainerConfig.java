package keel.engine.api.container;

import java.util.List;
import java.util.Map;

/**
 * A container's portable configuration: Docker's {@code Config} object (container create and inspect, and the
 * {@code config} of an image). Component names are Docker's JSON keys in lower camel case; null means "not set", so
 * an image's value and a create request's value can be merged field by field.
 */
public record ContainerConfig(
        String hostname,
        String domainname,
        String user,
        Boolean attachStdin,
        Boolean attachStdout,
        Boolean attachStderr,
        Map<String, Map<String, Object>> exposedPorts,
        Boolean tty,
        Boolean openStdin,
        Boolean stdinOnce,
        List<String> env,
        List<String> cmd,
        HealthConfig healthcheck,
        Boolean argsEscaped,
        String image,
        Map<String, Map<String, Object>> volumes,
        String workingDir,
        List<String> entrypoint,
        Boolean networkDisabled,
        List<String> onBuild,
        Map<String, String> labels,
        String stopSignal,
        Integer stopTimeout,
        List<String> shell) {

    /** An empty configuration: every field unset. */
    public static final ContainerConfig EMPTY = builder().build();

    /** Docker's {@code Healthcheck}; durations in nanoseconds. */
    public record HealthConfig(List<String> test, Long interval, Long timeout, Long startPeriod, Long startInterval,
            Integer retries) {}

    public Builder toBuilder() {
        return new Builder(this);
    }

    public static Builder builder() {
        return new Builder(null);
    }

    /** Builds a changed copy; records have no withers and this config has many fields. */
    public static final class Builder {
        private String hostname, domainname, user, image, workingDir, stopSignal;
        private Boolean attachStdin, attachStdout, attachStderr, tty, openStdin, stdinOnce, argsEscaped,
                networkDisabled;
        private Map<String, Map<String, Object>> exposedPorts, volumes;
        private List<String> env, cmd, entrypoint, onBuild, shell;
        private HealthConfig healthcheck;
        private Map<String, String> labels;
        private Integer stopTimeout;

        private Builder(ContainerConfig c) {
            if (c == null) {
                return;
            }
            hostname = c.hostname;
            domainname = c.domainname;
            user = c.user;
            attachStdin = c.attachStdin;
            attachStdout = c.attachStdout;
            attachStderr = c.attachStderr;
            exposedPorts = c.exposedPorts;
            tty = c.tty;
            openStdin = c.openStdin;
            stdinOnce = c.stdinOnce;
            env = c.env;
            cmd = c.cmd;
            healthcheck = c.healthcheck;
            argsEscaped = c.argsEscaped;
            image = c.image;
            volumes = c.volumes;
            workingDir = c.workingDir;
            entrypoint = c.entrypoint;
            networkDisabled = c.networkDisabled;
            onBuild = c.onBuild;
            labels = c.labels;
            stopSignal = c.stopSignal;
            stopTimeout = c.stopTimeout;
            shell = c.shell;
        }

        public Builder hostname(String v) { hostname = v; return this; }
        public Builder domainname(String v) { domainname = v; return this; }
        public Builder user(String v) { user = v; return this; }
        public Builder attachStdin(Boolean v) { attachStdin = v; return this; }
        public Builder attachStdout(Boolean v) { attachStdout = v; return this; }
        public Builder attachStderr(Boolean v) { attachStderr = v; return this; }
        public Builder exposedPorts(Map<String, Map<String, Object>> v) { exposedPorts = v; return this; }
        public Builder tty(Boolean v) { tty = v; return this; }
        public Builder openStdin(Boolean v) { openStdin = v; return this; }
        public Builder stdinOnce(Boolean v) { stdinOnce = v; return this; }
        public Builder env(List<String> v) { env = v; return this; }
        public Builder cmd(List<String> v) { cmd = v; return this; }
        public Builder healthcheck(HealthConfig v) { healthcheck = v; return this; }
        public Builder argsEscaped(Boolean v) { argsEscaped = v; return this; }
        public Builder image(String v) { image = v; return this; }
        public Builder volumes(Map<String, Map<String, Object>> v) { volumes = v; return this; }
        public Builder workingDir(String v) { workingDir = v; return this; }
        public Builder entrypoint(List<String> v) { entrypoint = v; return this; }
        public Builder networkDisabled(Boolean v) { networkDisabled = v; return this; }
        public Builder onBuild(List<String> v) { onBuild = v; return this; }
        public Builder labels(Map<String, String> v) { labels = v; return this; }
        public Builder stopSignal(String v) { stopSignal = v; return this; }
        public Builder stopTimeout(Integer v) { stopTimeout = v; return this; }
        public Builder shell(List<String> v) { shell = v; return this; }

        public ContainerConfig build() {
            return new ContainerConfig(hostname, domainname, user, attachStdin, attachStdout, attachStderr,
                    exposedPorts, tty, openStdin, stdinOnce, env, cmd, healthcheck, argsEscaped, image, volumes,
                    workingDir, entrypoint, networkDisabled, onBuild, labels, stopSignal, stopTimeout, shell);
        }
    }
}
