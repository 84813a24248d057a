package keel.engine.rest.internal.routes;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import keel.engine.api.system.VersionInfo;
import keel.engine.rest.internal.http.ApiVersion;
import keel.engine.rest.internal.json.DockerJson;

/**
 * {@code GET /version} in Docker's SystemVersion shape. The CLI prints the {@code Engine} component (falling back
 * to the top-level fields when it is missing), so both are filled; Go's version slot carries the Java runtime's.
 */
final class VersionDocument {
    static final String PLATFORM = "Keel Engine";

    private VersionDocument() {}

    static ObjectNode of(VersionInfo v, DockerJson json) {
        String goVersion = "java" + text(v.javaVersion());
        ObjectNode doc = json.object();
        doc.putObject("Platform").put("Name", PLATFORM);
        ArrayNode components = doc.putArray("Components");
        ObjectNode engine = components.addObject();
        engine.put("Name", "Engine");
        engine.put("Version", text(v.version()));
        ObjectNode details = engine.putObject("Details");
        details.put("ApiVersion", ApiVersion.MAXIMUM.toString());
        details.put("Arch", text(v.arch()));
        details.put("BuildTime", text(v.buildTime()));
        details.put("Experimental", "false");
        details.put("GitCommit", text(v.gitCommit()));
        details.put("GoVersion", goVersion);
        details.put("KernelVersion", text(v.kernelVersion()));
        details.put("MinAPIVersion", ApiVersion.MINIMUM.toString());
        details.put("Os", text(v.os()));
        if (v.javaVersion() != null) {
            ObjectNode java = components.addObject();
            java.put("Name", "Java");
            java.put("Version", v.javaVersion());
        }
        doc.put("Version", text(v.version()));
        doc.put("ApiVersion", ApiVersion.MAXIMUM.toString());
        doc.put("MinAPIVersion", ApiVersion.MINIMUM.toString());
        doc.put("GitCommit", text(v.gitCommit()));
        doc.put("GoVersion", goVersion);
        doc.put("Os", text(v.os()));
        doc.put("Arch", text(v.arch()));
        // omitempty in dockerd's Version struct (Experimental is false, so it is left out too).
        if (v.kernelVersion() != null && !v.kernelVersion().isEmpty()) {
            doc.put("KernelVersion", v.kernelVersion());
        }
        if (v.buildTime() != null && !v.buildTime().isEmpty()) {
            doc.put("BuildTime", v.buildTime());
        }
        return doc;
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }
}
