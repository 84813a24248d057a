/**
 * The container runtime contract: what runs an OCI runtime bundle (config.json + rootfs), as runc does for
 * dockerd. The engine writes the bundle and hands it to the {@link keel.engine.api.runtime.ContainerRuntime}
 * registered under the chosen {@code runtime.name}; Keel's own is runtime.native (namespaces, cgroups and mounts
 * from Java), and a vendor's (or one that calls an OCI runtime binary) can replace it.
 */
@Export
@Version("1.1.0")
package keel.engine.api.runtime;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
