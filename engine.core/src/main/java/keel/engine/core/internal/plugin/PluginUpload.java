package keel.engine.core.internal.plugin;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import keel.engine.api.errors.EngineException;

/**
 * A plugin as uploaded through the API: either the bundle jar itself, or a tar holding exactly one jar (what
 * {@code docker plugin create NAME DIR} sends). The upload is written to a file and checked to be an OSGi bundle
 * before the framework ever sees it.
 */
final class PluginUpload {
    /** Driver bundles are small; anything near this is a mistake or an attack on the disk. */
    static final long MAX_BYTES = 256L << 20;

    private PluginUpload() {}

    /** Writes the bundle carried by {@code in} to {@code target} and returns its symbolic name. */
    static String receive(InputStream in, Path target) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in);
        buffered.mark(4);
        byte[] magic = buffered.readNBytes(4);
        buffered.reset();
        if (magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4) {
            copyBounded(buffered, target);
        } else {
            extractSingleJar(buffered, target);
        }
        return symbolicName(target);
    }

    private static void extractSingleJar(InputStream in, Path target) throws IOException {
        boolean found = false;
        try (TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (!e.isFile() || !e.getName().endsWith(".jar")) {
                    continue;
                }
                if (found) {
                    throw EngineException.invalid("the plugin archive holds more than one .jar: upload one bundle");
                }
                copyBounded(tar, target);
                found = true;
            }
        } catch (IOException e) {
            if (!found) {
                throw EngineException.invalid("expected an OSGi bundle (.jar) or a tar holding one: "
                        + e.getMessage());
            }
            throw e;
        }
        if (!found) {
            throw EngineException.invalid("expected an OSGi bundle (.jar) or a tar holding one: no .jar found");
        }
    }

    private static void copyBounded(InputStream in, Path target) throws IOException {
        try (OutputStream out = Files.newOutputStream(target)) {
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
                if (total > MAX_BYTES) {
                    throw EngineException.invalid("plugin bundle is larger than " + (MAX_BYTES >> 20) + " MiB");
                }
                out.write(buf, 0, n);
            }
        }
    }

    /** The bundle's symbolic name, or INVALID_PARAMETER when the jar is not an OSGi R4+ bundle. */
    static String symbolicName(Path jar) throws IOException {
        Manifest m;
        try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
            m = in.getManifest();
        } catch (IOException e) {
            throw EngineException.invalid("not an OSGi bundle: cannot read the jar: " + e.getMessage());
        }
        if (m == null) {
            throw EngineException.invalid("not an OSGi bundle: the jar has no META-INF/MANIFEST.MF");
        }
        Attributes a = m.getMainAttributes();
        String bsn = a.getValue("Bundle-SymbolicName");
        if (bsn == null || bsn.isBlank()) {
            throw EngineException.invalid("not an OSGi bundle: no Bundle-SymbolicName in its manifest");
        }
        if (!"2".equals(a.getValue("Bundle-ManifestVersion"))) {
            throw EngineException.invalid("not an OSGi bundle: Bundle-ManifestVersion must be 2");
        }
        int semi = bsn.indexOf(';');
        return (semi < 0 ? bsn : bsn.substring(0, semi)).trim();
    }
}
