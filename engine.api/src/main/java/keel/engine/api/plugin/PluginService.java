package keel.engine.api.plugin;

import java.io.InputStream;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Installs, lists and removes plugin bundles while the daemon runs. A plugin bundle is an OSGi bundle built
 * against engine.api that registers driver services (storage, network, log, runtime). Installed plugins live as
 * jar files in the daemon's plugins folder, which the daemon also watches, so copying a jar there works too.
 */
@ProviderType
public interface PluginService {

    /** Every plugin bundle in the plugins folder and every bundle providing a driver. */
    List<PluginInfo> list();

    /** One plugin by name (its file name without {@code .jar}, or its symbolic name). */
    PluginInfo inspect(String name);

    /**
     * Installs a bundle (a jar, or a tar holding one jar) under {@code name}, starts it and waits until it is
     * active. A bundle that cannot be resolved or started is removed again and reported.
     */
    PluginInfo install(String name, InputStream bundle);

    /**
     * Stops and uninstalls a plugin. The data of any driver it provided stays on disk; the returned report says
     * what is left behind (e.g. layers of a storage driver) so the operator can put the driver back.
     */
    RemovalReport remove(String name, boolean force);

    /** Starts a stopped plugin bundle. */
    PluginInfo enable(String name);

    /** Stops a plugin bundle without removing it. */
    PluginInfo disable(String name);
}
