package keel.cli.internal.command;

import java.util.List;
import java.util.function.Supplier;

/**
 * One command as the CLI lists it: its name, what follows the name in the usage line (cobra's "Use"), the one-line
 * description, the positional-argument rule, how to make it, and docker's "Aliases:" help line. The object is made
 * only when the command runs, so picocli reflects over one class per invocation.
 */
public final class CommandEntry {

    final String name;
    final List<String> aliases;
    final String use;
    final String description;
    final ArgsRule argsRule;
    final Supplier<KeelCommand> factory;
    final String aliasLine;
    final boolean interspersed;
    final List<CommandEntry> children;
    /** -h means --hostname here (run, create), not --help. */
    final boolean hostnameShorthand;

    private CommandEntry(String name, List<String> aliases, String use, String description, ArgsRule argsRule,
            Supplier<KeelCommand> factory, String aliasLine, boolean interspersed, List<CommandEntry> children,
            boolean hostnameShorthand) {
        this.hostnameShorthand = hostnameShorthand;
        this.name = name;
        this.aliases = aliases;
        this.use = use;
        this.description = description;
        this.argsRule = argsRule;
        this.factory = factory;
        this.aliasLine = aliasLine;
        this.interspersed = interspersed;
        this.children = children;
    }

    public static CommandEntry leaf(String name, String use, String description, ArgsRule rule,
            Supplier<KeelCommand> factory) {
        return new CommandEntry(name, List.of(), use, description, rule, factory, null, true, null, false);
    }

    public static CommandEntry group(String name, String description, CommandEntry... children) {
        return new CommandEntry(name, List.of(), "COMMAND", description, null, null, null, true, List.of(children), false);
    }

    public CommandEntry aliases(String... names) {
        return new CommandEntry(name, List.of(names), use, description, argsRule, factory, aliasLine, interspersed,
                children, hostnameShorthand);
    }

    public CommandEntry aliasLine(String line) {
        return new CommandEntry(name, aliases, use, description, argsRule, factory, line, interspersed, children,
                hostnameShorthand);
    }

    /** Flags after the first positional argument are positional too (cobra's SetInterspersed(false)). */
    public CommandEntry notInterspersed() {
        return new CommandEntry(name, aliases, use, description, argsRule, factory, aliasLine, false, children,
                hostnameShorthand);
    }

    /** Marks a command whose -h is --hostname (docker's run and create). */
    public CommandEntry hostnameShorthand() {
        return new CommandEntry(name, aliases, use, description, argsRule, factory, aliasLine, interspersed,
                children, true);
    }

    public boolean isGroup() {
        return children != null;
    }

    public boolean matches(String n) {
        return name.equals(n) || aliases.contains(n);
    }

    public CommandEntry child(String n) {
        for (CommandEntry c : children) {
            if (c.matches(n)) {
                return c;
            }
        }
        return null;
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }
}
