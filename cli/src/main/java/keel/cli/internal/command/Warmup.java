package keel.cli.internal.command;

import keel.cli.internal.format.GoTemplate;
import keel.cli.internal.format.GoTime;
import keel.cli.internal.format.HumanUnits;
import keel.cli.internal.format.TabWriter;
import keel.cli.internal.format.TemplateException;
import keel.cli.internal.json.JsonReader;

/**
 * Start-up work that does not depend on the parsed flags, done on the second core while picocli builds its model
 * of the command (the largest single cost of a run, ~70 ms, and single-threaded): connect to the daemon and
 * negotiate the API version — docker's CLI pings first too, so this only moves the ping earlier — and initialize
 * the formatting classes most commands use (the JDK's Unix-socket and locale data set-up included). Failures are
 * left for the command to meet again and report in its own words.
 */
final class Warmup {

    private Warmup() {
    }

    static Thread start(CommandContext ctx) {
        Thread t = new Thread(() -> {
            try {
                ctx.client().negotiate();
            } catch (Exception ignored) {
                // the command reports connection problems itself
            }
            try {
                GoTemplate.parse("{{range .}}{{.}}{{end}}").execute(java.util.List.of(), false);
                new TabWriter(new StringBuilder(), 10, 3).write("a\tb\n").flush();
                HumanUnits.humanSizeWithPrecision(4261574, 3);
                GoTime.reformatDate("2025-05-30T12:07:26Z", ctx.zone());
                JsonReader.parse("{\"a\":[1,\"b\"]}");
            } catch (TemplateException | java.io.IOException | RuntimeException ignored) {
                // nothing depends on the warm-up succeeding
            }
        }, "keel-warmup");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
