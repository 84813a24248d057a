package keel.engine.core.internal.daemon;

import java.time.Instant;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The daemon log: java.util.logging (where System.Logger and Jetty's SLF4J end up) written to stderr in
 * dockerd's logfmt shape, {@code time="..." level=info msg="..."}, so tools that parse dockerd's log read ours.
 */
final class DaemonLogging {
    /**
     * Loggers whose level we set. java.util.logging holds loggers weakly: a level set on a logger nobody refers to
     * is lost when it is collected, so keep them.
     */
    private static final Logger JETTY = Logger.getLogger("org.eclipse.jetty");
    private static final Logger SPIFLY = Logger.getLogger("org.apache.aries.spifly");

    private DaemonLogging() {}

    static void configure(String level) throws DaemonOptions.InvalidOptionsException {
        Level jul = switch (level) {
            case "debug" -> Level.FINE;
            case "info" -> Level.INFO;
            case "warn" -> Level.WARNING;
            case "error", "fatal" -> Level.SEVERE;
            default -> throw new DaemonOptions.InvalidOptionsException("unable to parse logging level: " + level);
        };
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        ConsoleHandler handler = new ConsoleHandler();
        handler.setLevel(Level.ALL);
        handler.setFormatter(new LogfmtFormatter());
        root.addHandler(handler);
        root.setLevel(jul);
        // Jetty's own chatter (startup banners, per-request debug) is noise unless debugging.
        JETTY.setLevel(jul == Level.FINE ? Level.INFO : Level.WARNING);
        SPIFLY.setLevel(jul == Level.FINE ? Level.INFO : Level.WARNING);
    }

    static final class LogfmtFormatter extends Formatter {
        @Override
        public String format(LogRecord r) {
            String level = r.getLevel().intValue() >= Level.SEVERE.intValue() ? "error"
                    : r.getLevel().intValue() >= Level.WARNING.intValue() ? "warning"
                    : r.getLevel().intValue() >= Level.INFO.intValue() ? "info" : "debug";
            StringBuilder sb = new StringBuilder(128);
            sb.append("time=\"").append(Instant.ofEpochMilli(r.getMillis())).append("\" level=").append(level)
                    .append(" msg=\"").append(escape(formatMessage(r))).append('"');
            if (r.getThrown() != null) {
                sb.append(" error=\"").append(escape(String.valueOf(r.getThrown()))).append('"');
            }
            return sb.append('\n').toString();
        }

        private static String escape(String s) {
            return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
        }
    }
}
