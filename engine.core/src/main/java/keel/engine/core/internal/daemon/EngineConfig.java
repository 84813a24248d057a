package keel.engine.core.internal.daemon;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The engine's configuration (PID {@value #PID}), written by {@link DaemonConfigurator} from keeld's flags and
 * daemon.json, or by an operator through Config Admin. Attribute names map to property names with {@code _} as
 * {@code .} (DS's rule), e.g. {@code data_root()} is {@code data.root}.
 */
@ObjectClassDefinition(pid = EngineConfig.PID, name = "Keel engine")
public @interface EngineConfig {
    String PID = "keel.engine";

    @AttributeDefinition(description = "Root of persistent state (dockerd's --data-root)")
    String data_root() default "/var/lib/keel";

    @AttributeDefinition(description = "Root of runtime state (dockerd's --exec-root)")
    String exec_root() default "/run/keel";

    @AttributeDefinition(description = "Storage driver by name; empty picks overlay2 where supported, else vfs")
    String storage_driver() default "";

    @AttributeDefinition(description = "Storage driver options, key=value (dockerd's --storage-opt)")
    String[] storage_opts() default {};

    @AttributeDefinition(description = "Log level: debug, info, warn, error, fatal")
    String log_level() default "info";

    @AttributeDefinition(description = "Labels of the daemon (dockerd's --label)")
    String[] labels() default {};

    @AttributeDefinition(description = "Default log driver of containers (dockerd's --log-driver)")
    String log_driver() default "json-file";

    @AttributeDefinition(description = "Default log driver options, key=value (dockerd's --log-opt)")
    String[] log_opts() default {};

    @AttributeDefinition(description = "Runtime of containers that name none (dockerd's --default-runtime)")
    String default_runtime() default "native";

    @AttributeDefinition(description = "Host path of the init binary for --init (dockerd's --init-path)")
    String init_path() default "/usr/bin/tini-static";

    @AttributeDefinition(description = "Parent cgroup of containers that name none (dockerd's --cgroup-parent)")
    String cgroup_parent() default "/keel";

    @AttributeDefinition(description = "Make a new container's first start ahead, while the client attaches: the "
            + "start then only lets the process go (Keel's own; false: all the work at start, as dockerd)")
    boolean prepare_ahead() default true;

    // ---- networking (dockerd's flags of the same names; read by the network service)

    @AttributeDefinition(description = "Default bridge network's gateway and subnet, e.g. 172.17.0.1/16 (dockerd's --bip)")
    String bip() default "";

    @AttributeDefinition(description = "Pools of new networks' subnets, base=CIDR,size=N (dockerd's --default-address-pool)")
    String[] default_address_pools() default {};

    @AttributeDefinition(description = "Interface of the default bridge network (dockerd's -b/--bridge); empty: keel0")
    String bridge() default "";

    @AttributeDefinition(description = "Range of the default bridge network's container addresses (dockerd's --fixed-cidr)")
    String fixed_cidr() default "";

    @AttributeDefinition(description = "MTU of the default bridge network (dockerd's --mtu)")
    int mtu() default 1500;

    @AttributeDefinition(description = "Write NAT and filter rules (dockerd's --iptables; for the bridge driver)")
    boolean iptables() default true;

    @AttributeDefinition(description = "Enable IPv4 forwarding (dockerd's --ip-forward; for the bridge driver)")
    boolean ip_forward() default true;

    @AttributeDefinition(description = "Masquerade the default bridge network's traffic (dockerd's --ip-masq)")
    boolean ip_masq() default true;

    @AttributeDefinition(description = "Forward published ports with the userland proxy (dockerd's --userland-proxy)")
    boolean userland_proxy() default true;

    @AttributeDefinition(description = "DNS servers of containers that name none (dockerd's --dns)")
    String[] dns() default {};

    @AttributeDefinition(description = "DNS search domains of containers that name none (dockerd's --dns-search)")
    String[] dns_search() default {};

    @AttributeDefinition(description = "DNS options of containers that name none (dockerd's --dns-opt)")
    String[] dns_opts() default {};
}
