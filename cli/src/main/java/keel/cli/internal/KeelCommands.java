package keel.cli.internal;

import java.util.List;

import keel.cli.internal.command.ArgsRule;
import keel.cli.internal.command.CommandEntry;
import keel.cli.internal.image.ImageHistoryCommand;
import keel.cli.internal.image.ImageImportCommand;
import keel.cli.internal.image.ImageInspectCommand;
import keel.cli.internal.image.ImageListCommand;
import keel.cli.internal.image.ImageLoadCommand;
import keel.cli.internal.image.ImagePruneCommand;
import keel.cli.internal.image.ImageRemoveCommand;
import keel.cli.internal.image.ImageSaveCommand;
import keel.cli.internal.image.ImageTagCommand;
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
 * Every command keel knows, laid out as docker's: management groups ({@code image}, {@code plugin},
 * {@code system}) and the top-level shortcuts ({@code images}, {@code rmi}, ...). A {@code container} group and
 * {@code run}/{@code ps}/... join here when the daemon grows containers.
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

        return List.of(image, plugin, system, history, images, importCmd, info, inspect, load, rmi, save, tag,
                version);
    }
}
