/**
 * The OCI runtime specification's {@code config.json} as Java records: what the engine writes into a container's
 * runtime bundle and what a runtime reads back. Component names are the JSON keys of runtime-spec 1.2, so a plain
 * JSON binder maps them both ways; absent optional fields are null.
 */
@Export
@Version("1.0.0")
package keel.engine.api.oci;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
