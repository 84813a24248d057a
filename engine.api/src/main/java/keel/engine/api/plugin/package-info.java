/**
 * Plugins: driver bundles an operator installs into, and removes from, the running daemon.
 */
@Export
@Version("1.0.0")
package keel.engine.api.plugin;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
