/**
 * Containers: the engine's container service and the records it exchanges, shaped like the Docker Engine API's
 * container objects (component names are Docker's JSON keys in lower camel case; null means not set).
 */
@Export
@Version("1.0.0")
package keel.engine.api.container;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
