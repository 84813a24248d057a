package keel.engine.core.internal.container;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import keel.engine.api.container.HostConfig.LogConfig;
import keel.engine.api.errors.EngineException;
import keel.engine.api.logging.LogDriver;

/**
 * A container's log configuration as Docker settles it at create (mergeAndVerifyLogConfig, logger.ValidateLogOpts):
 * no type means the daemon's default driver, the daemon's default options apply to a container of the default
 * driver where it sets none of its own, the engine's own options ({@code mode}, {@code max-buffer-size}) are checked
 * here, and the rest by the driver.
 */
final class LogConfigs {

    /** Options every driver accepts because the engine, not the driver, acts on them. */
    static final Set<String> ENGINE_OPTIONS = Set.of("mode", "max-buffer-size");

    private LogConfigs() {}

    static LogConfig resolve(LogConfig requested, ContainerSettings settings, Drivers<LogDriver> drivers) {
        String type = requested == null || requested.type() == null || requested.type().isEmpty()
                ? settings.defaultLogDriver() : requested.type();
        Map<String, String> options = new LinkedHashMap<>();
        if (requested != null && requested.config() != null) {
            options.putAll(requested.config());
        }
        if (type.equals(settings.defaultLogDriver())) {
            settings.defaultLogOptions().forEach(options::putIfAbsent);
        }
        validate(type, options, drivers);
        return new LogConfig(type, options);
    }

    private static void validate(String type, Map<String, String> options, Drivers<LogDriver> drivers) {
        if (type.equals(NoneLogDriver.NAME)) {
            return;
        }
        String mode = options.getOrDefault("mode", "");
        if (!mode.isEmpty() && !mode.equals("blocking") && !mode.equals("non-blocking")) {
            throw EngineException.invalid("logger: logging mode not supported: " + mode);
        }
        if (options.containsKey("max-buffer-size") && !mode.equals("non-blocking")) {
            throw EngineException.invalid("logger: max-buffer-size option is only supported with 'mode=non-blocking'");
        }
        LogDriver driver = drivers.get(type);
        if (driver == null) {
            throw EngineException.invalid("logger: no log driver named '" + type + "' is registered");
        }
        Map<String, String> own = new LinkedHashMap<>(options);
        own.keySet().removeAll(ENGINE_OPTIONS);
        driver.validate(own);
    }

    /** The options a driver sees when it opens a log (without the engine's own). */
    static Map<String, String> driverOptions(LogConfig c) {
        Map<String, String> own = new LinkedHashMap<>(c == null || c.config() == null ? Map.of() : c.config());
        own.keySet().removeAll(ENGINE_OPTIONS);
        return own;
    }
}
