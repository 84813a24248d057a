package keel.engine.api.plugin;

import java.util.List;

/**
 * A plugin bundle: its name, the bundle behind it, whether it runs, and the drivers it registers now, each as
 * {@code kind:name} (e.g. {@code storage:vfs}).
 */
public record PluginInfo(String name, String symbolicName, String version, String state, boolean enabled,
        List<String> drivers, String location) {}
