package keel.logging.json;

import java.io.IOException;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import keel.engine.api.logging.ContainerLog;
import keel.engine.api.logging.LogContext;
import keel.engine.api.logging.LogDriver;
import keel.logging.json.internal.JsonFileLog;
import keel.logging.json.internal.JsonFileOptions;

/**
 * The {@code json-file} log driver, Docker's default: one JSON object per line in
 * {@code <containerDir>/<id>-json.log}, rotated by max-size/max-file and optionally gzipped, byte for byte as
 * Docker writes it, so logs survive a switch between Docker and Keel and tools that read Docker's files work.
 */
@Component(service = LogDriver.class, property = LogDriver.NAME_PROPERTY + "=" + JsonFileLogDriver.NAME)
public final class JsonFileLogDriver implements LogDriver {

    public static final String NAME = "json-file";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void validate(Map<String, String> options) {
        JsonFileOptions.parse(options);
    }

    @Override
    public ContainerLog open(LogContext context) throws IOException {
        return JsonFileLog.open(context, JsonFileOptions.parse(context.options()));
    }
}
