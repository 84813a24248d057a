package keel.engine.rest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import keel.engine.api.errors.EngineException;
import keel.engine.api.plugin.PluginInfo;
import keel.engine.api.plugin.PluginService;
import keel.engine.api.plugin.RemovalReport;

/** A PluginService keeping plugins in a map; {@code install} records the bytes it was given. */
final class FakePluginService implements PluginService {
    final Map<String, PluginInfo> plugins = new ConcurrentHashMap<>();
    final Map<String, byte[]> installed = new ConcurrentHashMap<>();

    FakePluginService() {
        plugins.put("vfs", new PluginInfo("vfs", "keel.storage.vfs", "0.1.0", "ACTIVE", true,
                List.of("storage:vfs"), "/var/lib/keel/plugins/vfs.jar"));
    }

    @Override
    public List<PluginInfo> list() {
        return new ArrayList<>(plugins.values());
    }

    @Override
    public PluginInfo inspect(String name) {
        PluginInfo p = plugins.get(name);
        if (p == null) {
            throw EngineException.notFound("plugin " + name + " not found");
        }
        return p;
    }

    @Override
    public PluginInfo install(String name, InputStream bundle) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            bundle.transferTo(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (plugins.containsKey(name)) {
            throw EngineException.conflict("plugin " + name + " already exists");
        }
        installed.put(name, bytes.toByteArray());
        PluginInfo p = new PluginInfo(name, "com.example." + name, "1.0.0", "ACTIVE", true,
                List.of("storage:" + name), "/var/lib/keel/plugins/" + name + ".jar");
        plugins.put(name, p);
        return p;
    }

    @Override
    public RemovalReport remove(String name, boolean force) {
        PluginInfo p = inspect(name);
        if (p.enabled() && !force) {
            throw EngineException.conflict("plugin " + name + " is enabled: disable it first or use force");
        }
        plugins.remove(name);
        return new RemovalReport(name, p.drivers(),
                List.of("layers of storage driver " + name + " remain in /var/lib/keel/" + name));
    }

    @Override
    public PluginInfo enable(String name) {
        PluginInfo p = inspect(name);
        PluginInfo q = new PluginInfo(p.name(), p.symbolicName(), p.version(), "ACTIVE", true,
                List.of("storage:" + name), p.location());
        plugins.put(name, q);
        return q;
    }

    @Override
    public PluginInfo disable(String name) {
        PluginInfo p = inspect(name);
        PluginInfo q = new PluginInfo(p.name(), p.symbolicName(), p.version(), "RESOLVED", false, List.of(),
                p.location());
        plugins.put(name, q);
        return q;
    }
}
