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
}
