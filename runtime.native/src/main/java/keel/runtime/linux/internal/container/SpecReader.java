package keel.runtime.linux.internal.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import keel.engine.api.oci.Spec;
import keel.engine.api.runtime.ContainerStartException;

/** Reads a bundle's config.json into the engine's OCI model; fields Keel does not model are ignored. */
public final class SpecReader {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private SpecReader() {}

    public static Spec read(Path bundle) throws IOException {
        Path config = bundle.resolve("config.json");
        try {
            return JSON.readValue(Files.readAllBytes(config), Spec.class);
        } catch (NoSuchFileException e) {
            throw new ContainerStartException("JSON specification file " + config + " not found", e);
        } catch (JsonProcessingException e) {
            throw new ContainerStartException("invalid config.json in " + bundle + ": " + e.getOriginalMessage(), e);
        }
    }
}
