package keel.cli.internal.command;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** Help text laid out like docker's (cobra usage template, pflag option list). */
final class HelpPrinter {

    private HelpPrinter() {
    }

    static String root(List<CommandEntry> catalog) {
        StringBuilder sb = new StringBuilder();
        sb.append("\nUsage:  keel [OPTIONS] COMMAND\n\n");
        sb.append("A client for the Keel container engine (speaks the Docker Engine API)\n\n");
        List<CommandEntry> groups = new ArrayList<>();
        List<CommandEntry> leaves = new ArrayList<>();
        for (CommandEntry e : catalog) {
            (e.isGroup() ? groups : leaves).add(e);
        }
        int pad = 11;
        for (CommandEntry e : catalog) {
            pad = Math.max(pad, e.name.length());
        }
        sb.append("Management Commands:\n");
        for (CommandEntry e : sorted(groups)) {
            sb.append("  ").append(rpad(e.name, pad)).append(' ').append(e.description).append('\n');
        }
        sb.append("\nCommands:\n");
        for (CommandEntry e : sorted(leaves)) {
            sb.append("  ").append(rpad(e.name, pad)).append(' ').append(e.description).append('\n');
        }
        sb.append("\nGlobal Options:\n");
        sb.append("  -D, --debug              Enable debug mode\n");
        sb.append("  -H, --host string        Daemon socket to connect to (default $KEEL_HOST, $DOCKER_HOST or "
                + "unix:///run/keel.sock)\n");
        sb.append("  -l, --log-level string   Set the logging level (\"debug\", \"info\", \"warn\", \"error\", "
                + "\"fatal\") (default \"info\")\n");
        sb.append("  -v, --version            Print version information and quit\n");
        sb.append("\nRun 'keel COMMAND --help' for more information on a command.\n\n");
        return sb.toString();
    }

    static String group(CommandEntry group, String path) {
        StringBuilder sb = new StringBuilder();
        sb.append("Usage:  ").append(path).append(" COMMAND\n\n").append(group.description).append("\n\n");
        sb.append("Commands:\n");
        int pad = 11;
        for (CommandEntry c : group.children) {
            pad = Math.max(pad, c.name.length());
        }
        for (CommandEntry c : sorted(group.children)) {
            sb.append("  ").append(rpad(c.name, pad)).append(' ').append(c.description).append('\n');
        }
        sb.append("\nRun '").append(path).append(" COMMAND --help' for more information on a command.\n");
        return sb.toString();
    }

    static String leaf(CommandEntry entry, String path, CommandSpec spec) {
        StringBuilder sb = new StringBuilder();
        sb.append("Usage:  ").append(useLine(entry, path)).append("\n\n").append(entry.description).append('\n');
        if (entry.aliasLine != null) {
            sb.append("\nAliases:\n  ").append(entry.aliasLine).append('\n');
        }
        List<OptionSpec> options = new ArrayList<>();
        for (OptionSpec o : spec.options()) {
            if (!o.hidden()) {
                options.add(o);
            }
        }
        if (!options.isEmpty()) {
            options.sort(Comparator.comparing(HelpPrinter::longName));
            List<String> heads = new ArrayList<>();
            int width = 0;
            for (OptionSpec o : options) {
                String shortName = shortName(o);
                String head = "  " + (shortName == null ? "    " : shortName + ", ") + "--" + longName(o);
                if (o.arity().min() > 0) {
                    head += " " + o.paramLabel();
                }
                heads.add(head);
                width = Math.max(width, head.length());
            }
            sb.append("\nOptions:\n");
            for (int i = 0; i < options.size(); i++) {
                OptionSpec o = options.get(i);
                String desc = String.join("\n", o.description());
                String dflt = o.defaultValue();
                if (dflt != null && !dflt.isEmpty() && !"false".equals(dflt) && !"[]".equals(dflt)) {
                    // pflag quotes string defaults only; setter-parsed int flags take a String but print as ints
                    boolean quoted = o.type() == String.class && !"int".equals(o.paramLabel());
                    desc += quoted ? " (default \"" + dflt + "\")" : " (default " + dflt + ")";
                }
                String[] lines = desc.split("\n");
                sb.append(rpad(heads.get(i), width)).append("   ").append(lines[0]).append('\n');
                for (int l = 1; l < lines.length; l++) {
                    sb.append(" ".repeat(width + 3)).append(lines[l]).append('\n');
                }
            }
        }
        return sb.toString();
    }

    static String useLine(CommandEntry entry, String path) {
        return path + (entry.use.isEmpty() ? "" : " " + entry.use);
    }

    private static String shortName(OptionSpec o) {
        for (String n : o.names()) {
            if (n.length() == 2 && n.charAt(0) == '-' && n.charAt(1) != '-') {
                return n;
            }
        }
        return null;
    }

    private static String longName(OptionSpec o) {
        for (String n : o.names()) {
            if (n.startsWith("--")) {
                return n.substring(2);
            }
        }
        return o.names()[0].substring(1);
    }

    private static List<CommandEntry> sorted(List<CommandEntry> l) {
        List<CommandEntry> s = new ArrayList<>(l);
        s.sort(Comparator.comparing(CommandEntry::name));
        return s;
    }

    private static String rpad(String s, int n) {
        StringBuilder sb = new StringBuilder(s);
        while (sb.length() < n) {
            sb.append(' ');
        }
        return sb.toString();
    }
}
