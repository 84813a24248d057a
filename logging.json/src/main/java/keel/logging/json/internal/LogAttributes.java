package keel.logging.json.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import keel.engine.api.errors.EngineException;
import keel.engine.api.logging.LogContext;

/**
 * The {@code attrs} object Docker adds to every line when the user asks for metadata: {@code tag} (a template over
 * the container, e.g. {@code {{.ID}}/{{.Name}}}) and, in Docker, the labels and environment variables named by
 * {@code labels}, {@code labels-regex}, {@code env} and {@code env-regex}. {@link LogContext} carries neither
 * labels nor environment, so only {@code tag} can produce attributes here.
 */
public final class LogAttributes {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{-?\\s*\\.(\\w+)\\s*-?}}");

    private LogAttributes() {}

    /**
     * Checks a {@code tag} template: Keel expands the {@code {{.Field}}} placeholders Docker's log tags use; Go
     * template functions and pipelines are refused rather than written out verbatim.
     */
    static void validateTag(String template) {
        Matcher m = PLACEHOLDER.matcher(template);
        int last = 0;
        while (m.find()) {
            checkLiteral(template, template.substring(last, m.start()));
            fieldValue(m.group(1), null, template);
            last = m.end();
        }
        checkLiteral(template, template.substring(last));
    }

    private static void checkLiteral(String template, String literal) {
        if (literal.contains("{{")) {
            throw EngineException.invalid("unsupported log tag template '" + template
                    + "': only {{.Field}} placeholders are supported (ID, FullID, Name, ImageName, Hostname, "
                    + "DaemonName)");
        }
    }

    /** Expands the tag template for a container (Docker's loggerutils.ParseLogTag). */
    static String expandTag(String template, LogContext context) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        int last = 0;
        while (m.find()) {
            out.append(template, last, m.start()).append(fieldValue(m.group(1), context, template));
            last = m.end();
        }
        return out.append(template.substring(last)).toString();
    }

    private static String fieldValue(String field, LogContext c, String template) {
        String id = c == null || c.containerId() == null ? "" : c.containerId();
        switch (field) {
            case "ID":
                return id.length() > 12 ? id.substring(0, 12) : id;
            case "FullID":
                return id;
            case "Name":
                String name = c == null || c.containerName() == null ? "" : c.containerName();
                return name.startsWith("/") ? name.substring(1) : name;
            case "ImageName":
                return c == null || c.imageName() == null ? "" : c.imageName();
            case "Hostname":
                return c == null ? "" : hostname();
            case "DaemonName":
                return "docker";
            case "ImageID":
            case "ImageFullID":
            case "Command":
                // Docker knows these; the engine does not pass them to log drivers (yet), so they expand empty.
                return "";
            default:
                throw EngineException.invalid("template: log-tag: can't evaluate field " + field
                        + " in log tag '" + template + "'");
        }
    }

    private static String hostname() {
        // Go's os.Hostname reads the kernel's UTS name; so does this (no DNS lookup as InetAddress would do).
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("logger: can not resolve hostname", e);
        }
    }

    /** The attrs for a container from its options, as JSON bytes (Go's json.Marshal of a map), or null. */
    public static byte[] forContainer(JsonFileOptions options, LogContext context) {
        Map<String, String> attrs = new TreeMap<>();
        if (options.tag() != null && !options.tag().isEmpty()) {
            String tag = expandTag(options.tag(), context);
            if (!tag.isEmpty()) {
                attrs.put("tag", tag);
            }
        }
        return attrs.isEmpty() ? null : toJson(attrs);
    }

    /** Go's json.Marshal of a map[string]string: keys sorted, encoding/json string escapes. */
    static byte[] toJson(Map<String, String> attrs) {
        Map<String, String> sorted = new TreeMap<>(attrs); // Go sorts map keys by their bytes; ASCII keys agree
        int max = 2;
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            max += JsonStringEscaper.maxQuotedLength(utf8Length(e.getKey()))
                    + JsonStringEscaper.maxQuotedLength(utf8Length(e.getValue())) + 2;
        }
        byte[] out = new byte[max];
        int pos = 0;
        out[pos++] = '{';
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            if (pos > 1) {
                out[pos++] = ',';
            }
            byte[] k = e.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] v = e.getValue().getBytes(StandardCharsets.UTF_8);
            pos = JsonStringEscaper.ENCODING_JSON.appendQuoted(k, 0, k.length, out, pos);
            out[pos++] = ':';
            pos = JsonStringEscaper.ENCODING_JSON.appendQuoted(v, 0, v.length, out, pos);
        }
        out[pos++] = '}';
        return java.util.Arrays.copyOf(out, pos);
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
