/** The daemon as a whole: what {@code /version} and {@code /info} report. */
@Export
@Version("1.0.0")
package keel.engine.api.system;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
