/**
 * The storage driver conformance suite. A driver's test class extends
 * {@link keel.storage.tck.StorageDriverConformance}; the tar builder, tar reader and tree snapshot it uses are public
 * so that a driver's own tests can describe layers the same way.
 */
@Export
@Version("1.0.0")
package keel.storage.tck;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
