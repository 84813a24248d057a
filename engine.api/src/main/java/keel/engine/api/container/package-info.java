/**
 * Containers: their configuration as Docker's API exchanges it ({@code Config} in create and inspect, also found
 * in an image's config).
 */
@Export
@Version("1.0.0")
package keel.engine.api.container;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
