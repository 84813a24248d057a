package keel.cli.internal;

import java.util.List;

import keel.cli.internal.command.ArgsRule;
import keel.cli.internal.command.CommandEntry;
import keel.cli.internal.container.AttachCommand;
import keel.cli.internal.container.ContainerInspectCommand;
import keel.cli.internal.container.CreateCommand;
import keel.cli.internal.container.ExecCommand;
import keel.cli.internal.container.KillCommand;
import keel.cli.internal.container.ListCommand;
import keel.cli.internal.container.LogsCommand;
import keel.cli.internal.container.PauseCommand;
import keel.cli.internal.container.PortCommand;
import keel.cli.internal.container.RemoveCommand;
import keel.cli.internal.container.RenameCommand;
import keel.cli.internal.container.RunCommand;
import keel.cli.internal.container.StartCommand;
import keel.cli.internal.container.StopCommand;
import keel.cli.internal.container.TopCommand;
import keel.cli.internal.container.WaitCommand;
import keel.cli.internal.image.ImageHistoryCommand;
import keel.cli.internal.image.ImageImportCommand;
import keel.cli.internal.image.ImageInspectCommand;
import keel.cli.internal.image.ImageListCommand;
import keel.cli.internal.image.ImageLoadCommand;
import keel.cli.internal.image.ImagePruneCommand;
import keel.cli.internal.image.ImageRemoveCommand;
import keel.cli.internal.image.ImageSaveCommand;
import keel.cli.internal.image.ImageTagCommand;
import keel.cli.internal.network.NetworkConnectCommand;
import keel.cli.internal.network.NetworkCreateCommand;
import keel.cli.internal.network.NetworkDisconnectCommand;
import keel.cli.internal.network.NetworkInspectCommand;
import keel.cli.internal.network.NetworkListCommand;
import keel.cli.internal.network.NetworkPruneCommand;
import keel.cli.internal.network.NetworkRemoveCommand;
import keel.cli.internal.plugin.PluginDisableCommand;
import keel.cli.internal.plugin.PluginEnableCommand;
import keel.cli.internal.plugin.PluginInspectCommand;
import keel.cli.internal.plugin.PluginInstallCommand;
import keel.cli.internal.plugin.PluginListCommand;
import keel.cli.internal.plugin.PluginRemoveCommand;
import keel.cli.internal.system.InfoCommand;
import keel.cli.internal.system.InspectCommand;
import keel.cli.internal.system.VersionCommand;

/**
 * Every command keel knows, laid out as docker's: management groups ({@code container}, {@code image},
 * {@code network}, {@code plugin}, {@code system}) and the top-level shortcuts ({@code run}, {@code ps}, {@code images}, {@code rmi},
 * ...).
 */
public final class KeelCommands {

    private KeelCommands() {
    }

    public static List<CommandEntry> all() {
        CommandEntry images = CommandEntry.leaf("images", "[OPTIONS] [REPOSITORY[:TAG]]", "List images",
                ArgsRule.atMost(1), ImageListCommand::new)
                .aliasLine("keel image ls, keel image list, keel images");
        CommandEntry history = CommandEntry.leaf("history", "[OPTIONS] IMAGE", "Show the history of an image",
                ArgsRule.exactly(1), ImageHistoryCommand::new).aliasLine("keel image history, keel history");
        CommandEntry importCmd = CommandEntry.leaf("import", "[OPTIONS] file|URL|- [REPOSITORY[:TAG]]",
                "Import the contents from a tarball to create a filesystem image", ArgsRule.atLeast(1),
                ImageImportCommand::new).aliasLine("keel image import, keel import");
        CommandEntry imageInspect = CommandEntry.leaf("inspect", "[OPTIONS] IMAGE [IMAGE...]",
                "Display detailed information on one or more images", ArgsRule.atLeast(1),
                ImageInspectCommand::new);
        CommandEntry load = CommandEntry.leaf("load", "[OPTIONS]", "Load an image from a tar archive or STDIN",
                ArgsRule.none(), ImageLoadCommand::new).aliasLine("keel image load, keel load");
        CommandEntry prune = CommandEntry.leaf("prune", "[OPTIONS]", "Remove unused images", ArgsRule.none(),
                ImagePruneCommand::new);
        CommandEntry rmi = CommandEntry.leaf("rmi", "[OPTIONS] IMAGE [IMAGE...]", "Remove one or more images",
                ArgsRule.atLeast(1), ImageRemoveCommand::new)
                .aliasLine("keel image rm, keel image remove, keel rmi");
        CommandEntry save = CommandEntry.leaf("save", "[OPTIONS] IMAGE [IMAGE...]",
                "Save one or more images to a tar archive (streamed to STDOUT by default)", ArgsRule.atLeast(1),
                ImageSaveCommand::new).aliasLine("keel image save, keel save");
        CommandEntry tag = CommandEntry.leaf("tag", "SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]",
                "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE", ArgsRule.exactly(2), ImageTagCommand::new)
                .aliasLine("keel image tag, keel tag").notInterspersed();

        CommandEntry image = CommandEntry.group("image", "Manage images",
                history, importCmd, imageInspect, load,
                CommandEntry.leaf("ls", "[OPTIONS] [REPOSITORY[:TAG]]", "List images", ArgsRule.atMost(1),
                        ImageListCommand::new).aliases("list")
                        .aliasLine("keel image ls, keel image list, keel images"),
                prune,
                CommandEntry.leaf("rm", "[OPTIONS] IMAGE [IMAGE...]", "Remove one or more images",
                        ArgsRule.atLeast(1), ImageRemoveCommand::new).aliases("rmi", "remove")
                        .aliasLine("keel image rm, keel image remove, keel rmi"),
                save, tag);

        CommandEntry version = CommandEntry.leaf("version", "[OPTIONS]", "Show the Keel version information",
                ArgsRule.none(), VersionCommand::new);
        CommandEntry info = CommandEntry.leaf("info", "[OPTIONS]", "Display system-wide information",
                ArgsRule.none(), InfoCommand::new).aliasLine("keel system info, keel info");
        CommandEntry inspect = CommandEntry.leaf("inspect", "[OPTIONS] NAME|ID [NAME|ID...]",
                "Return low-level information on Keel objects", ArgsRule.atLeast(1), InspectCommand::new);

        CommandEntry system = CommandEntry.group("system", "Manage Keel", info);

        CommandEntry attach = CommandEntry.leaf("attach", "[OPTIONS] CONTAINER",
                "Attach local standard input, output, and error streams to a running container", ArgsRule.exactly(1),
                AttachCommand::new).aliasLine("keel container attach, keel attach");
        CommandEntry create = CommandEntry.leaf("create", "[OPTIONS] IMAGE [COMMAND] [ARG...]", "Create a new container",
                ArgsRule.atLeast(1), CreateCommand::new).aliasLine("keel container create, keel create")
                .notInterspersed().hostnameShorthand();
        CommandEntry exec = CommandEntry.leaf("exec", "[OPTIONS] CONTAINER COMMAND [ARG...]",
                "Execute a command in a running container", ArgsRule.atLeast(2), ExecCommand::new)
                .aliasLine("keel container exec, keel exec").notInterspersed();
        CommandEntry kill = CommandEntry.leaf("kill", "[OPTIONS] CONTAINER [CONTAINER...]",
                "Kill one or more running containers", ArgsRule.atLeast(1), KillCommand::new)
                .aliasLine("keel container kill, keel kill");
        CommandEntry logs = CommandEntry.leaf("logs", "[OPTIONS] CONTAINER", "Fetch the logs of a container",
                ArgsRule.exactly(1), LogsCommand::new).aliasLine("keel container logs, keel logs");
        CommandEntry pause = CommandEntry.leaf("pause", "CONTAINER [CONTAINER...]",
                "Pause all processes within one or more containers", ArgsRule.atLeast(1), PauseCommand::new)
                .aliasLine("keel container pause, keel pause");
        CommandEntry port = CommandEntry.leaf("port", "CONTAINER [PRIVATE_PORT[/PROTO]]",
                "List port mappings or a specific mapping for the container", ArgsRule.range(1, 2), PortCommand::new)
                .aliasLine("keel container port, keel port");
        String psAliases = "keel container ls, keel container list, keel container ps, keel ps";
        CommandEntry ps = CommandEntry.leaf("ps", "[OPTIONS]", "List containers", ArgsRule.none(), ListCommand::new)
                .aliasLine(psAliases);
        CommandEntry rename = CommandEntry.leaf("rename", "CONTAINER NEW_NAME", "Rename a container",
                ArgsRule.exactly(2), RenameCommand::new).aliasLine("keel container rename, keel rename");
        CommandEntry restart = CommandEntry.leaf("restart", "[OPTIONS] CONTAINER [CONTAINER...]",
                "Restart one or more containers", ArgsRule.atLeast(1), StopCommand::restart)
                .aliasLine("keel container restart, keel restart");
        String rmAliases = "keel container rm, keel container remove, keel rm";
        CommandEntry rm = CommandEntry.leaf("rm", "[OPTIONS] CONTAINER [CONTAINER...]", "Remove one or more containers",
                ArgsRule.atLeast(1), RemoveCommand::new).aliasLine(rmAliases);
        CommandEntry run = CommandEntry.leaf("run", "[OPTIONS] IMAGE [COMMAND] [ARG...]",
                "Create and run a new container from an image", ArgsRule.atLeast(1), RunCommand::new)
                .aliasLine("keel container run, keel run").notInterspersed().hostnameShorthand();
        CommandEntry start = CommandEntry.leaf("start", "[OPTIONS] CONTAINER [CONTAINER...]",
                "Start one or more stopped containers", ArgsRule.atLeast(1), StartCommand::new)
                .aliasLine("keel container start, keel start");
        CommandEntry stop = CommandEntry.leaf("stop", "[OPTIONS] CONTAINER [CONTAINER...]",
                "Stop one or more running containers", ArgsRule.atLeast(1), StopCommand::new)
                .aliasLine("keel container stop, keel stop");
        CommandEntry top = CommandEntry.leaf("top", "CONTAINER [ps OPTIONS]",
                "Display the running processes of a container", ArgsRule.atLeast(1), TopCommand::new)
                .aliasLine("keel container top, keel top").notInterspersed();
        CommandEntry unpause = CommandEntry.leaf("unpause", "CONTAINER [CONTAINER...]",
                "Unpause all processes within one or more containers", ArgsRule.atLeast(1), PauseCommand::unpause)
                .aliasLine("keel container unpause, keel unpause");
        CommandEntry wait = CommandEntry.leaf("wait", "CONTAINER [CONTAINER...]",
                "Block until one or more containers stop, then print their exit codes", ArgsRule.atLeast(1),
                WaitCommand::new).aliasLine("keel container wait, keel wait");

        CommandEntry container = CommandEntry.group("container", "Manage containers",
                attach, create, exec,
                CommandEntry.leaf("inspect", "[OPTIONS] CONTAINER [CONTAINER...]",
                        "Display detailed information on one or more containers", ArgsRule.atLeast(1),
                        ContainerInspectCommand::new),
                kill, logs,
                CommandEntry.leaf("ls", "[OPTIONS]", "List containers", ArgsRule.none(), ListCommand::new)
                        .aliases("ps", "list").aliasLine(psAliases),
                pause, port, rename, restart,
                CommandEntry.leaf("rm", "[OPTIONS] CONTAINER [CONTAINER...]", "Remove one or more containers",
                        ArgsRule.atLeast(1), RemoveCommand::new).aliases("remove").aliasLine(rmAliases),
                run, start, stop, top, unpause, wait);

        CommandEntry network = CommandEntry.group("network", "Manage networks",
                CommandEntry.leaf("connect", "[OPTIONS] NETWORK CONTAINER", "Connect a container to a network",
                        ArgsRule.exactly(2), NetworkConnectCommand::new),
                CommandEntry.leaf("create", "[OPTIONS] NETWORK", "Create a network", ArgsRule.exactly(1),
                        NetworkCreateCommand::new),
                CommandEntry.leaf("disconnect", "[OPTIONS] NETWORK CONTAINER", "Disconnect a container from a network",
                        ArgsRule.exactly(2), NetworkDisconnectCommand::new),
                CommandEntry.leaf("inspect", "[OPTIONS] NETWORK [NETWORK...]",
                        "Display detailed information on one or more networks", ArgsRule.atLeast(1),
                        NetworkInspectCommand::new),
                CommandEntry.leaf("ls", "[OPTIONS]", "List networks", ArgsRule.none(), NetworkListCommand::new)
                        .aliases("list").aliasLine("keel network ls, keel network list"),
                CommandEntry.leaf("prune", "[OPTIONS]", "Remove all unused networks", ArgsRule.none(),
                        NetworkPruneCommand::new),
                CommandEntry.leaf("rm", "NETWORK [NETWORK...]", "Remove one or more networks", ArgsRule.atLeast(1),
                        NetworkRemoveCommand::new).aliases("remove").aliasLine("keel network rm, keel network remove"));

        CommandEntry plugin = CommandEntry.group("plugin", "Manage plugins",
                CommandEntry.leaf("disable", "[OPTIONS] PLUGIN", "Disable a plugin", ArgsRule.exactly(1),
                        PluginDisableCommand::new),
                CommandEntry.leaf("enable", "[OPTIONS] PLUGIN", "Enable a plugin", ArgsRule.exactly(1),
                        PluginEnableCommand::new),
                CommandEntry.leaf("inspect", "[OPTIONS] PLUGIN [PLUGIN...]",
                        "Display detailed information on one or more plugins", ArgsRule.atLeast(1),
                        PluginInspectCommand::new),
                CommandEntry.leaf("install", "NAME FILE", "Install a plugin bundle (a jar) under a name",
                        ArgsRule.exactly(2), PluginInstallCommand::new),
                CommandEntry.leaf("ls", "[OPTIONS]", "List plugins", ArgsRule.none(), PluginListCommand::new)
                        .aliases("list"),
                CommandEntry.leaf("rm", "[OPTIONS] PLUGIN [PLUGIN...]", "Remove one or more plugins",
                        ArgsRule.atLeast(1), PluginRemoveCommand::new).aliases("remove"));

        return List.of(container, image, network, plugin, system, attach, create, exec, history, images, importCmd,
                info, inspect, kill, load, logs, pause, port, ps, rename, restart, rm, rmi, run, save, start, stop, tag,
                top, unpause, version, wait);
    }
}
