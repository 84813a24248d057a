package keel.cli.internal.command;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

import keel.cli.internal.http.ClientVersion;
import keel.cli.internal.http.DaemonHost;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Parses a command line the way docker's does and runs the command: global flags before the command name, then
 * the command (or management group and subcommand), then that command's flags and arguments. Usage errors get
 * docker's messages and exit codes (125 for flag errors, 1 for argument counts and unknown commands).
 */
public final class CommandRunner {

    private final List<CommandEntry> catalog;
    private final CliEnvironment env;
    private final Output out;
    private final Output err;

    public CommandRunner(List<CommandEntry> catalog, CliEnvironment env) {
        this.catalog = catalog;
        this.env = env;
        this.out = new Output(env.out());
        this.err = new Output(env.err());
    }

    public int run(String[] argv) {
        int code;
        try {
            code = dispatch(argv);
        } catch (CliException e) {
            code = fail(e.getMessage(), e.exitCode());
        } catch (IOException e) {
            if (isBrokenPipe(e)) {
                return 141;
            }
            code = fail(e.getMessage(), 1);
        } catch (UncheckedIOException e) {
            if (isBrokenPipe(e.getCause())) {
                // "keel images | head -1": the reader left; exit as a process killed by SIGPIPE would, quietly.
                return 141;
            }
            code = fail(e.getCause().getMessage(), 1);
        } catch (RuntimeException e) {
            code = fail(e.toString(), 1);
        } catch (Exception e) {
            code = fail(e.getMessage(), 1);
        }
        try {
            out.flush();
        } catch (UncheckedIOException ignored) {
            // stdout closed (e.g. "| head"): nothing more to say
        }
        err.flush();
        return code;
    }

    private static boolean isBrokenPipe(IOException e) {
        return e != null && e.getMessage() != null && e.getMessage().contains("Broken pipe");
    }

    private int fail(String message, int code) {
        try {
            out.flush();
        } catch (UncheckedIOException ignored) {
            // keep going: the error message matters more
        }
        if (message != null && !message.isEmpty()) {
            err.println(message);
        }
        return code;
    }

    private static CliException rootFlagError(String message) {
        return new CliException(125, message + "\n\nUsage:  keel [OPTIONS] COMMAND\n\nRun 'keel --help' for more information");
    }

    private int dispatch(String[] argv) throws Exception {
        String host = null;
        boolean showVersion = false;
        int i = 0;
        while (i < argv.length && argv[i].startsWith("-") && !argv[i].equals("-")) {
            String a = argv[i];
            if (a.equals("--")) {
                i++;
                break;
            }
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            } else if (!a.startsWith("--") && a.length() > 2) {
                name = a.substring(0, 2);
                value = a.substring(2);
                if (value.startsWith("=")) {
                    value = value.substring(1);
                }
            }
            switch (name) {
                case "-H":
                case "--host":
                case "-l":
                case "--log-level":
                case "--config":
                case "-c":
                case "--context":
                    if (value == null) {
                        if (i + 1 >= argv.length) {
                            throw rootFlagError("flag needs an argument: " + (name.startsWith("--") ? name
                                    : "'" + name.charAt(1) + "' in " + name));
                        }
                        value = argv[++i];
                    }
                    if (name.equals("-H") || name.equals("--host")) {
                        host = value;
                    }
                    break;
                case "-D":
                case "--debug":
                case "--tls":
                case "--tlsverify":
                    break;
                case "-v":
                case "--version":
                    showVersion = true;
                    break;
                case "-h":
                case "--help":
                    out.print(HelpPrinter.root(catalog));
                    return 0;
                default:
                    throw rootFlagError(a.startsWith("--") ? "unknown flag: " + name
                            : "unknown shorthand flag: '" + a.charAt(1) + "' in " + a);
            }
            i++;
        }
        if (showVersion) {
            out.println("Keel version " + ClientVersion.VERSION);
            return 0;
        }
        if (i >= argv.length) {
            out.print(HelpPrinter.root(catalog));
            return 0;
        }
        String hostSpec = DaemonHost.select(host, env.env());
        String name = argv[i];
        if (name.equals("help")) {
            return help(Arrays.copyOfRange(argv, i + 1, argv.length));
        }
        CommandEntry entry = find(catalog, name);
        if (entry == null) {
            throw new CliException(1, "keel: unknown command: keel " + name
                    + "\n\nRun 'keel --help' for more information");
        }
        String path = "keel " + entry.name;
        String calledAs = name;
        i++;
        if (entry.isGroup()) {
            CommandEntry group = entry;
            if (i >= argv.length || argv[i].equals("--help") || argv[i].equals("-h")) {
                out.print(HelpPrinter.group(group, path));
                return 0;
            }
            if (argv[i].startsWith("-")) {
                String a = argv[i];
                throw new CliException(125, (a.startsWith("--") ? "unknown flag: " + a.split("=", 2)[0]
                        : "unknown shorthand flag: '" + (a.length() > 1 ? a.charAt(1) : '-') + "' in " + a)
                        + "\n\nUsage:  " + path + " COMMAND\n\nRun '" + path + " --help' for more information");
            }
            entry = group.child(argv[i]);
            if (entry == null) {
                throw new CliException(1, "keel: unknown command: " + path + " " + argv[i] + "\n\nUsage:  " + path
                        + "\n\nRun '" + path + " --help' for more information");
            }
            calledAs = argv[i];
            path = path + " " + entry.name;
            i++;
        }
        return execute(entry, path, calledAs, hostSpec, Arrays.copyOfRange(argv, i, argv.length));
    }

    private int help(String[] names) throws Exception {
        if (names.length == 0) {
            out.print(HelpPrinter.root(catalog));
            return 0;
        }
        CommandEntry entry = find(catalog, names[0]);
        if (entry == null) {
            throw new CliException(1, "Unknown help topic [`" + names[0] + "`]");
        }
        String path = "keel " + entry.name;
        if (entry.isGroup() && names.length > 1 && entry.child(names[1]) != null) {
            entry = entry.child(names[1]);
            path += " " + entry.name;
        }
        if (entry.isGroup()) {
            out.print(HelpPrinter.group(entry, path));
        } else {
            out.print(HelpPrinter.leaf(entry, path, newCommandLine(entry.factory.get(), true).getCommandSpec()));
        }
        return 0;
    }

    private static CommandEntry find(List<CommandEntry> entries, String name) {
        for (CommandEntry e : entries) {
            if (e.matches(name)) {
                return e;
            }
        }
        return null;
    }

    private static CommandLine newCommandLine(KeelCommand command, boolean interspersed) {
        CommandLine cl = new CommandLine(command);
        cl.setExpandAtFiles(false);
        cl.setOverwrittenOptionsAllowed(true);
        cl.setPosixClusteredShortOptionsAllowed(true);
        cl.setUnmatchedArgumentsAllowed(false);
        cl.setStopAtPositional(!interspersed);
        cl.setTrimQuotes(false);
        CommandSpec spec = cl.getCommandSpec();
        OptionSpec help = spec.findOption("--help");
        if (help != null && help.usageHelp()) {
            spec.remove(help);
            boolean ownsH = spec.findOption('h') != null;
            // docker's run and create use -h for --hostname and list an explicit "--help  Print usage" instead.
            spec.addOption(OptionSpec.builder(ownsH ? new String[] {"--help"} : new String[] {"-h", "--help"})
                    .usageHelp(true).hidden(!ownsH).arity("0").type(boolean.class).description("Print usage")
                    .build());
        }
        return cl;
    }

    private int execute(CommandEntry entry, String path, String calledAs, String hostSpec, String[] args)
            throws Exception {
        try (CommandContext ctx = new CommandContext(env, out, err, hostSpec, path, calledAs)) {
            if (!isHelpRequest(args, entry)) {
                ctx.warmup(Warmup.start(ctx));
            }
            return execute(entry, path, args, ctx);
        }
    }

    private static boolean isHelpRequest(String[] args, CommandEntry entry) {
        for (String a : args) {
            if (a.equals("--help") || (a.equals("-h") && !entry.hostnameShorthand)) {
                return true;
            }
        }
        return false;
    }

    private int execute(CommandEntry entry, String path, String[] args, CommandContext ctx) throws Exception {
        KeelCommand command = entry.factory.get();
        CommandLine cl = newCommandLine(command, entry.interspersed);
        CommandSpec spec = cl.getCommandSpec();
        String useLine = HelpPrinter.useLine(entry, path);
        String flagError = FlagCheck.firstError(args, spec, entry.interspersed);
        if (flagError != null) {
            throw flagError(flagError, useLine, path);
        }
        try {
            cl.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw flagError(e.getMessage(), useLine, path);
        }
        if (cl.isUsageHelpRequested()) {
            out.print(HelpPrinter.leaf(entry, path, spec));
            return 0;
        }
        entry.argsRule.check(command.args(), path, useLine);
        return command.run(ctx);
    }

    private static CliException flagError(String message, String useLine, String path) {
        return new CliException(125, message + "\n\nUsage:  " + useLine + "\n\nRun '" + path
                + " --help' for more information");
    }

    /** pflag's wording for unknown flags and missing values, checked before picocli sees the arguments. */
    static final class FlagCheck {
        private FlagCheck() {
        }

        static String firstError(String[] args, CommandSpec spec, boolean interspersed) {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--")) {
                    return null;
                }
                if (!a.startsWith("-") || a.equals("-")) {
                    if (!interspersed) {
                        return null;
                    }
                    continue;
                }
                if (a.startsWith("--")) {
                    String name = a.split("=", 2)[0];
                    OptionSpec o = spec.findOption(name);
                    if (o == null) {
                        return "unknown flag: " + name;
                    }
                    if (takesValue(o) && !a.contains("=")) {
                        if (i + 1 >= args.length) {
                            return "flag needs an argument: " + name;
                        }
                        i++;
                    }
                    continue;
                }
                for (int j = 1; j < a.length(); j++) {
                    char c = a.charAt(j);
                    OptionSpec o = spec.findOption("-" + c);
                    if (o == null) {
                        // pflag names the rest of the cluster from the unknown letter on: -aqx -> "in -x".
                        return "unknown shorthand flag: '" + c + "' in -" + a.substring(j);
                    }
                    if (takesValue(o)) {
                        if (j + 1 == a.length()) {
                            if (i + 1 >= args.length) {
                                return "flag needs an argument: '" + c + "' in " + a;
                            }
                            i++;
                        }
                        break;
                    }
                    if (j + 1 < a.length() && a.charAt(j + 1) == '=') {
                        break; // -H=false
                    }
                }
            }
            return null;
        }

        private static boolean takesValue(OptionSpec o) {
            return o.arity().min() > 0;
        }
    }
}
