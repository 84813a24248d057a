package keel.cli.internal.format;

import java.util.List;
import java.util.Map;

/**
 * docker's formatter.Context.Write: one template run per row, and for {@code table} formats a header row made by
 * running the same template over the column names, all aligned by a tabwriter with docker's padding of three.
 * Nothing is printed when a row fails, as in docker, where the rows are buffered until the end.
 */
public final class ListFormatter {

    public static final String TABLE = "table";
    public static final String RAW = "raw";
    public static final String JSON = "json";

    private ListFormatter() {
    }

    public static boolean isTable(String format) {
        return format.startsWith(TABLE);
    }

    /** The template text docker runs: without the table prefix, trimmed, with \t and \n escapes turned real. */
    static String preFormat(String format) {
        String f = format;
        if (isTable(f)) {
            f = f.substring(TABLE.length());
        } else if (f.equals(JSON)) {
            f = "{{json .}}";
        }
        f = trimSpaces(f);
        return f.replace("\\t", "\t").replace("\\n", "\n");
    }

    private static String trimSpaces(String s) {
        int b = 0;
        int e = s.length();
        while (b < e && s.charAt(b) == ' ') {
            b++;
        }
        while (e > b && s.charAt(e - 1) == ' ') {
            e--;
        }
        return s.substring(b, e);
    }

    /**
     * Renders rows; throws with docker's "template parsing error: ..." message when the template is bad or a row
     * cannot be rendered.
     */
    public static String render(String format, Map<String, String> header, List<?> rows) throws TemplateException {
        return render(format, (Object) header, rows);
    }

    /** With a header object of its own (a struct whose methods name columns, as docker's container header). */
    public static String render(String format, Object header, List<?> rows) throws TemplateException {
        String text = preFormat(format);
        GoTemplate tmpl;
        try {
            tmpl = GoTemplate.parse(text);
        } catch (TemplateException e) {
            throw new TemplateException("template parsing error: " + e.getMessage());
        }
        StringBuilder body = new StringBuilder();
        for (Object row : rows) {
            try {
                tmpl.execute(body, row, false, TemplateFunctions.basic());
            } catch (TemplateException e) {
                throw new TemplateException("template parsing error: " + e.getMessage());
            }
            body.append('\n');
        }
        if (!isTable(format)) {
            return body.toString();
        }
        StringBuilder out = new StringBuilder();
        TabWriter tw = new TabWriter(out, 10, 3);
        StringBuilder head = new StringBuilder();
        try {
            tmpl.execute(head, header, false, TemplateFunctions.header());
        } catch (TemplateException ignored) {
            // docker ignores header errors and keeps what was written before the failure
        }
        tw.write(head).write("\n").write(body);
        tw.flush();
        return out.toString();
    }
}
