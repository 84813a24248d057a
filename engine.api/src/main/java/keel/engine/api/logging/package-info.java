/**
 * Log drivers: where a container's output goes and how it is read back ({@code docker logs}). A driver registers
 * a {@link keel.engine.api.logging.LogDriver} service with {@code driver.name} (json-file, local, none, a
 * vendor's); the engine chooses one per container ({@code --log-driver}, {@code --log-opt}) or daemon-wide.
 */
@Export
@Version("1.0.0")
package keel.engine.api.logging;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
