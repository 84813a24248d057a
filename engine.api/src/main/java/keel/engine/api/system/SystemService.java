package keel.engine.api.system;

import org.osgi.annotation.versioning.ProviderType;

/** Facts about the running engine. */
@ProviderType
public interface SystemService {

    /** The engine's version and the host it runs on. */
    VersionInfo version();

    /** The engine's state: counts, drivers in use, host resources, warnings. */
    SystemInfo info();
}
