/**
 * Images: the engine's image service and the records it exchanges, shaped like the Docker Engine API's image
 * objects (component names are Docker's JSON keys in lower camel case).
 */
@Export
@Version("1.0.0")
package keel.engine.api.image;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
