package keel.logging.json.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.Test;

import keel.engine.api.errors.EngineException;
import keel.logging.json.JsonFileLogDriver;

/** Log options are refused with Docker's wording (jsonfilelog.New, ValidateLogOpt, go-units, strconv). */
class JsonFileOptionsTest {

    private final JsonFileLogDriver driver = new JsonFileLogDriver();

    private void refused(String message, Map<String, String> options) {
        EngineException e = assertThrows(EngineException.class, () -> driver.validate(options));
        assertEquals(EngineException.Kind.INVALID_PARAMETER, e.kind());
        assertEquals(message, e.getMessage());
    }

    @Test
    void unknownOption() {
        refused("unknown log opt 'max-sise' for json-file log driver", Map.of("max-sise", "10m"));
        refused("unknown log opt 'mode' for json-file log driver", Map.of("max-size", "10m", "mode", "non-blocking"));
    }

    @Test
    void maxSizeUsesDecimalUnits() {
        assertEquals(10_000, JsonFileOptions.parse(Map.of("max-size", "10k")).maxSize());
        assertEquals(10_000_000, JsonFileOptions.parse(Map.of("max-size", "10m")).maxSize());
        assertEquals(10_000_000, JsonFileOptions.parse(Map.of("max-size", "10MiB")).maxSize()); // still decimal
        assertEquals(1_000_000_000, JsonFileOptions.parse(Map.of("max-size", "1g")).maxSize());
        assertEquals(1_500_000, JsonFileOptions.parse(Map.of("max-size", "1.5 MB")).maxSize());
        assertEquals(100, JsonFileOptions.parse(Map.of("max-size", "100")).maxSize());
        assertEquals(-1, JsonFileOptions.parse(Map.of("max-size", "-1")).maxSize());
        assertEquals(-1, JsonFileOptions.parse(Map.of()).maxSize());
        refused("invalid size: 'abc'", Map.of("max-size", "abc"));
        refused("invalid size: ''", Map.of("max-size", ""));
        refused("invalid suffix: 'x'", Map.of("max-size", "10x"));
        refused("invalid suffix: 'mbb'", Map.of("max-size", "10mbb"));
        refused("invalid size: '-5m'", Map.of("max-size", "-5m"));
        refused("max-size must be a positive number", Map.of("max-size", "0"));
        refused("strconv.ParseFloat: parsing \"1.2.3\": invalid syntax", Map.of("max-size", "1.2.3k"));
    }

    @Test
    void maxFile() {
        assertEquals(3, JsonFileOptions.parse(Map.of("max-size", "1m", "max-file", "3")).maxFiles());
        assertEquals(1, JsonFileOptions.parse(Map.of()).maxFiles());
        refused("max-file cannot be less than 1", Map.of("max-file", "0"));
        refused("strconv.Atoi: parsing \"three\": invalid syntax", Map.of("max-file", "three"));
        refused("strconv.Atoi: parsing \"99999999999999999999\": value out of range",
                Map.of("max-file", "99999999999999999999"));
        // Docker accepts max-file without max-size (it then never rotates); so does Keel.
        assertEquals(false, JsonFileOptions.parse(Map.of("max-file", "3")).rotates());
    }

    @Test
    void compress() {
        assertEquals(true, JsonFileOptions.parse(Map.of("max-size", "1m", "max-file", "2", "compress", "true"))
                .compress());
        assertEquals(false, JsonFileOptions.parse(Map.of("compress", "false")).compress());
        refused("strconv.ParseBool: parsing \"yes\": invalid syntax", Map.of("compress", "yes"));
        refused("compress cannot be true when max-file is less than 2 or max-size is not set",
                Map.of("compress", "true", "max-size", "1m"));
        refused("compress cannot be true when max-file is less than 2 or max-size is not set",
                Map.of("compress", "1", "max-file", "3"));
    }

    @Test
    void metadataOptionsAreAccepted() {
        driver.validate(Map.of("labels", "a,b", "labels-regex", "^com\\.", "env", "FOO,BAR", "env-regex", "^K",
                "tag", "{{.ImageName}}/{{.Name}}/{{.ID}}"));
        refused("error parsing regexp: Unclosed character class: `[a`", Map.of("env-regex", "[a"));
        refused("template: log-tag: can't evaluate field Nope in log tag '{{.Nope}}'", Map.of("tag", "{{.Nope}}"));
        assertThrows(EngineException.class, () -> driver.validate(Map.of("tag", "{{.Name | upper}}")));
    }
}
