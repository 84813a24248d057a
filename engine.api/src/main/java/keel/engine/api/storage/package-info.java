/**
 * The storage driver contract: how image layers and container read-write layers sit on disk.
 *
 * <p>A driver bundle registers a {@link keel.engine.api.storage.StorageDriver} service with the
 * {@value keel.engine.api.storage.StorageDriver#NAME_PROPERTY} property. The engine picks one by that name, opens a
 * {@link keel.engine.api.storage.LayerStore} under {@code <data-root>/<name>} and from then on drives it with layer
 * ids of its own choosing. Tar handling (hardened extraction, OCI whiteouts, diff production) is offered to drivers
 * by the engine's {@link keel.engine.api.storage.LayerArchiver} service, so a vendor's driver needs only this
 * package.
 */
@Export
@Version("1.1.0")
package keel.engine.api.storage;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
