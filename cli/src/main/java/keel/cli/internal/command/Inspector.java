package keel.cli.internal.command;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import keel.cli.internal.format.GoTemplate;
import keel.cli.internal.format.TemplateException;
import keel.cli.internal.http.DaemonException;
import keel.cli.internal.json.JsonIndenter;
import keel.cli.internal.json.JsonReader;

/**
 * docker's inspect.Inspect: without a format the raw JSON of every object, as one array indented by four spaces
 * (keys and numbers exactly as the daemon sent them); {@code json} the same compact; otherwise a template per
 * object. Objects that fail are reported together at the end (exit 1) after the others are printed.
 */
public final class Inspector {

    /** Fetches one object's raw JSON. */
    @FunctionalInterface
    public interface Source {
        byte[] fetch(String ref) throws IOException, CliException;
    }

    /** Turns raw JSON into the value templates run on (e.g. with Go-typed nils for known fields). */
    @FunctionalInterface
    public interface Typing {
        Object apply(Object json);
    }

    private Inspector() {
    }

    public static int inspect(CommandContext ctx, List<String> refs, String format, Source source, Typing typing)
            throws CliException {
        GoTemplate tmpl = null;
        boolean indented = format == null || format.isEmpty();
        boolean compact = "json".equals(format);
        if (!indented && !compact) {
            try {
                tmpl = GoTemplate.parse(format);
            } catch (TemplateException e) {
                throw new CliException(64, "template parsing error: " + e.getMessage());
            }
        }
        List<String> errors = new ArrayList<>();
        List<String> raws = new ArrayList<>();
        StringBuilder buffer = new StringBuilder();
        for (String ref : refs) {
            byte[] raw;
            try {
                raw = source.fetch(ref);
            } catch (DaemonException e) {
                errors.add(e.getMessage());
                continue;
            } catch (IOException e) {
                errors.add(e.getMessage());
                continue;
            }
            String text = new String(raw, java.nio.charset.StandardCharsets.UTF_8).trim();
            if (tmpl == null) {
                raws.add(text);
                continue;
            }
            try {
                Object value = JsonReader.parse(raw);
                if (typing != null) {
                    value = typing.apply(value);
                }
                buffer.append(tmpl.execute(value, true)).append('\n');
            } catch (TemplateException e) {
                errors.add("template parsing error: " + e.getMessage());
            } catch (IOException e) {
                errors.add("unable to read inspect data: " + e.getMessage());
            }
        }
        if (tmpl == null) {
            if (raws.isEmpty()) {
                ctx.out().print("[]\n");
            } else {
                String joined = "[" + String.join(",", raws) + "]";
                try {
                    ctx.out().print((indented ? JsonIndenter.indent(joined, "    ") : JsonIndenter.compact(joined)) + "\n");
                } catch (IOException e) {
                    errors.add(e.getMessage());
                }
            }
        } else {
            ctx.out().print(buffer.length() == 0 ? "\n" : buffer.toString());
        }
        if (!errors.isEmpty()) {
            throw new CliException(1, String.join("\n", errors));
        }
        return 0;
    }
}
