/**
 * Errors the engine reports, classified the way Docker's errdefs classifies them, so that every front end (the
 * REST API, a test, a vendor's tool) maps them to the same HTTP status.
 */
@Export
@Version("1.0.0")
package keel.engine.api.errors;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
