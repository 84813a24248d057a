package keel.cli.internal.progress;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import keel.cli.internal.command.CliException;
import keel.cli.internal.command.Output;
import keel.cli.internal.format.GoTime;
import keel.cli.internal.format.HumanUnits;
import keel.cli.internal.json.JsonReader;

/**
 * Renders a daemon's JSON message stream (load, import) as docker's jsonmessage.DisplayJSONMessagesStream does.
 * On a terminal every message with an id and progress owns a line that is redrawn in place (cursor up, erase line,
 * "id: status [=====>    ]  1.2MB/3.4MB", carriage return, cursor down); elsewhere progress updates are dropped
 * and only plain lines ("Loaded image: busybox:latest") are printed. A message carrying an error ends the command
 * with that error.
 */
public final class JsonMessageDisplay {

    static final String ERASE_LINE = "\u001b[2K";

    private final Output out;
    private final boolean terminal;
    private final int width;
    private final Supplier<Instant> clock;

    /** {@code width} is the terminal's width in columns, 0 when unknown (docker then assumes 200). */
    public JsonMessageDisplay(Output out, boolean terminal, int width, Supplier<Instant> clock) {
        this.out = out;
        this.terminal = terminal;
        this.width = width > 0 ? width : 200;
        this.clock = clock;
    }

    public void display(InputStream stream) throws IOException, CliException {
        JsonReader reader = new JsonReader(stream);
        Map<String, Integer> ids = new LinkedHashMap<>();
        while (reader.hasNext()) {
            Object o = reader.next();
            if (!(o instanceof Map)) {
                continue;
            }
            Map<?, ?> jm = (Map<?, ?>) o;
            if (jm.get("aux") != null) {
                continue;
            }
            String id = str(jm.get("id"));
            Map<?, ?> progress = jm.get("progressDetail") instanceof Map ? (Map<?, ?>) jm.get("progressDetail") : null;
            String progressMessage = str(jm.get("progress"));
            int diff = 0;
            if (!id.isEmpty() && (progress != null || !progressMessage.isEmpty())) {
                Integer line = ids.get(id);
                if (line == null) {
                    line = ids.size();
                    ids.put(id, line);
                    if (terminal) {
                        out.print("\n");
                    }
                }
                diff = ids.size() - line;
                if (terminal) {
                    cursor(diff, 'A');
                }
            } else {
                ids.clear();
            }
            String error = displayOne(jm, id, progress, progressMessage);
            if (!id.isEmpty() && terminal) {
                cursor(diff, 'B');
            }
            out.flush();
            if (error != null) {
                throw new CliException(1, error);
            }
        }
        out.flush();
    }

    private void cursor(int n, char dir) {
        if (n > 0) {
            out.print("\u001b[" + n + dir);
        }
    }

    /** jsonmessage.Display; returns the error text of an error message instead of printing it. */
    private String displayOne(Map<?, ?> jm, String id, Map<?, ?> progress, String progressMessage) {
        Object detail = jm.get("errorDetail");
        if (detail instanceof Map) {
            String m = str(((Map<?, ?>) detail).get("message"));
            return m.isEmpty() ? str(jm.get("error")) : m;
        }
        String error = str(jm.get("error"));
        if (!error.isEmpty()) {
            return error;
        }
        String stream = str(jm.get("stream"));
        String status = str(jm.get("status"));
        String endl = "";
        String bar = progress == null ? "" : progressString(progress);
        if (terminal && stream.isEmpty() && progress != null) {
            out.print(ERASE_LINE);
            endl = "\r";
            out.print(endl);
        } else if (progress != null && !bar.isEmpty()) {
            return null; // no progress bars off a terminal
        }
        long timeNano = num(jm.get("timeNano"));
        long time = num(jm.get("time"));
        if (timeNano != 0) {
            out.print(rfc3339NanoFixed(timeNano) + " ");
        } else if (time != 0) {
            out.print(rfc3339NanoFixed(time * 1_000_000_000L) + " ");
        }
        if (!id.isEmpty()) {
            out.print(id + ": ");
        }
        String from = str(jm.get("from"));
        if (!from.isEmpty()) {
            out.print("(from " + from + ") ");
        }
        if (progress != null && terminal) {
            out.print(status + " " + bar + endl);
        } else if (!progressMessage.isEmpty()) {
            out.print(status + " " + progressMessage + endl);
        } else if (!stream.isEmpty()) {
            out.print(stream + endl);
        } else {
            out.print(status + endl + "\n");
        }
        return null;
    }

    private static String rfc3339NanoFixed(long nanos) {
        Instant t = Instant.ofEpochSecond(0, nanos);
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSXXX")
                .format(t.atZone(java.time.ZoneOffset.UTC));
    }

    /** jsonmessage.JSONProgress.String. */
    String progressString(Map<?, ?> p) {
        long current = num(p.get("current"));
        long total = num(p.get("total"));
        long start = num(p.get("start"));
        boolean hideCounts = Boolean.TRUE.equals(p.get("hidecounts"));
        String units = str(p.get("units"));
        if (current <= 0 && total <= 0) {
            return "";
        }
        if (total <= 0) {
            return units.isEmpty() ? pad8(HumanUnits.humanSize(current)) : current + " " + units;
        }
        int percentage = (int) ((double) current / (double) total * 100) / 2;
        if (percentage > 50) {
            percentage = 50;
        }
        String pbBox = "";
        if (width > 110) {
            int spaces = Math.max(0, 50 - percentage);
            pbBox = "[" + "=".repeat(percentage) + ">" + " ".repeat(spaces) + "] ";
        }
        String numbers;
        if (hideCounts) {
            numbers = "";
        } else if (units.isEmpty()) {
            numbers = pad8(HumanUnits.humanSize(current)) + "/" + HumanUnits.humanSize(total);
            if (current > total) {
                numbers = pad8(HumanUnits.humanSize(current));
            }
        } else {
            numbers = current + "/" + total + " " + units;
            if (current > total) {
                numbers = current + " " + units;
            }
        }
        String timeLeft = "";
        if (width > 50 && current > 0 && start > 0 && percentage < 50) {
            Duration fromStart = Duration.between(Instant.ofEpochSecond(start), clock.get());
            long perEntry = fromStart.toNanos() / current;
            long left = (total - current) * perEntry;
            long seconds = Math.round(left / 1e9);
            timeLeft = " " + GoTime.duration(Duration.ofSeconds(seconds));
        }
        return pbBox + numbers + timeLeft;
    }

    private static String pad8(String s) {
        return s.length() >= 8 ? s : " ".repeat(8 - s.length()) + s;
    }

    private static String str(Object o) {
        return o instanceof String ? (String) o : "";
    }

    private static long num(Object o) {
        return o instanceof Number ? ((Number) o).longValue() : 0;
    }
}
