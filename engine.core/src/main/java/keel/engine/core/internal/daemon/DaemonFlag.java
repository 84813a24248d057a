package keel.engine.core.internal.daemon;

import java.util.List;
import java.util.Optional;

/**
 * One of keeld's command-line flags, spelled as dockerd spells it, with the daemon.json key that sets the same
 * option (dockerd's key names) and where the option goes in Config Admin.
 */
record DaemonFlag(String longName, String shortName, Kind kind, String jsonKey, String pid, String property,
        String defaultValue, String help) {

    enum Kind {
        /** Takes one value; a second occurrence replaces the first. */
        STRING,
        /** Takes one value per occurrence, collected in order. */
        LIST,
        /** Takes no value, or an explicit {@code =true/false}. */
        BOOLEAN,
        /**
         * Takes {@code key=value} once per occurrence; in daemon.json an object ({@code "log-opts": {"max-size":
         * "10m"}}).
         */
        MAP
    }

    /** The flags keeld knows. Adding an option is adding a line here. */
    static final List<DaemonFlag> ALL = List.of(
            new DaemonFlag("host", "H", Kind.LIST, "hosts", ApiConfigKeys.PID, "hosts", "unix:///run/keel.sock",
                    "Daemon socket(s) to listen on: unix:///path or tcp://127.0.0.1:PORT"),
            new DaemonFlag("data-root", null, Kind.STRING, "data-root", EngineConfig.PID, "data.root",
                    "/var/lib/keel", "Root directory of persistent Keel state"),
            new DaemonFlag("exec-root", null, Kind.STRING, "exec-root", EngineConfig.PID, "exec.root", "/run/keel",
                    "Root directory for execution state files"),
            new DaemonFlag("storage-driver", "s", Kind.STRING, "storage-driver", EngineConfig.PID,
                    "storage.driver", "", "Storage driver to use (overlay2, vfs, or a plugin's)"),
            new DaemonFlag("storage-opt", null, Kind.LIST, "storage-opts", EngineConfig.PID, "storage.opts", null,
                    "Storage driver options"),
            new DaemonFlag("pidfile", "p", Kind.STRING, "pidfile", null, null, "/run/keel.pid",
                    "Path to use for daemon PID file"),
            new DaemonFlag("config-file", null, Kind.STRING, null, null, null, "/etc/keel/daemon.json",
                    "Daemon configuration file"),
            new DaemonFlag("log-level", "l", Kind.STRING, "log-level", EngineConfig.PID, "log.level", "info",
                    "Set the logging level (debug, info, warn, error, fatal)"),
            new DaemonFlag("debug", "D", Kind.BOOLEAN, "debug", null, null, "false", "Enable debug mode"),
            new DaemonFlag("group", "G", Kind.STRING, "group", ApiConfigKeys.PID, "socket.group", "keel",
                    "Group for the unix socket"),
            new DaemonFlag("label", null, Kind.LIST, "labels", EngineConfig.PID, "labels", null,
                    "Set key=value labels to the daemon"),
            new DaemonFlag("log-driver", null, Kind.STRING, "log-driver", EngineConfig.PID, "log.driver",
                    "json-file", "Default driver for container logs"),
            new DaemonFlag("log-opt", null, Kind.MAP, "log-opts", EngineConfig.PID, "log.opts", null,
                    "Default log driver options for containers"),
            new DaemonFlag("default-runtime", null, Kind.STRING, "default-runtime", EngineConfig.PID,
                    "default.runtime", "native", "Default OCI runtime for containers"),
            new DaemonFlag("init-path", null, Kind.STRING, "init-path", EngineConfig.PID, "init.path",
                    "/usr/bin/tini-static", "Path to the docker-init binary"),
            new DaemonFlag("cgroup-parent", null, Kind.STRING, "cgroup-parent", EngineConfig.PID, "cgroup.parent",
                    "/keel", "Set parent cgroup for all containers"),
            new DaemonFlag("prepare-ahead", null, Kind.BOOLEAN, "prepare-ahead", EngineConfig.PID, "prepare.ahead",
                    "true", "Prepare a created container's first start while the client attaches (Keel's own)"),
            new DaemonFlag("bip", null, Kind.STRING, "bip", EngineConfig.PID, "bip", "",
                    "Specify default-bridge IP"),
            new DaemonFlag("default-address-pool", null, Kind.LIST, "default-address-pools", EngineConfig.PID,
                    "default.address.pools", null, "Default address pools for node specific local networks"),
            new DaemonFlag("bridge", "b", Kind.STRING, "bridge", EngineConfig.PID, "bridge", "",
                    "Attach containers to a network bridge (default keel0)"),
            new DaemonFlag("fixed-cidr", null, Kind.STRING, "fixed-cidr", EngineConfig.PID, "fixed.cidr", "",
                    "IPv4 subnet for fixed IPs"),
            new DaemonFlag("mtu", null, Kind.STRING, "mtu", EngineConfig.PID, "mtu", "1500",
                    "Set the containers network MTU"),
            new DaemonFlag("iptables", null, Kind.BOOLEAN, "iptables", EngineConfig.PID, "iptables", "true",
                    "Enable addition of iptables rules"),
            new DaemonFlag("ip-forward", null, Kind.BOOLEAN, "ip-forward", EngineConfig.PID, "ip.forward", "true",
                    "Enable IP forwarding in system configuration"),
            new DaemonFlag("ip-masq", null, Kind.BOOLEAN, "ip-masq", EngineConfig.PID, "ip.masq", "true",
                    "Enable IP masquerading for the default bridge network"),
            new DaemonFlag("userland-proxy", null, Kind.BOOLEAN, "userland-proxy", EngineConfig.PID,
                    "userland.proxy", "true", "Use userland proxy for loopback traffic"),
            new DaemonFlag("dns", null, Kind.LIST, "dns", EngineConfig.PID, "dns", null, "DNS server to use"),
            new DaemonFlag("dns-search", null, Kind.LIST, "dns-search", EngineConfig.PID, "dns.search", null,
                    "DNS search domains to use"),
            new DaemonFlag("dns-opt", null, Kind.LIST, "dns-opts", EngineConfig.PID, "dns.opts", null,
                    "DNS options to use"));

    static Optional<DaemonFlag> byName(String name) {
        for (DaemonFlag f : ALL) {
            if (f.longName.equals(name) || name.equals(f.shortName)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    static Optional<DaemonFlag> byJsonKey(String key) {
        return ALL.stream().filter(f -> key.equals(f.jsonKey)).findFirst();
    }
}
