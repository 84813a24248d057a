package keel.cli.internal.image;

import keel.cli.internal.command.CliException;
import keel.cli.internal.command.CommandContext;
import keel.cli.internal.command.KeelCommand;
import keel.cli.internal.http.Query;
import picocli.CommandLine.Command;

/**
 * {@code keel tag SOURCE TARGET}: POST /images/{source}/tag?repo=&tag=. The target is normalized first, as docker's
 * client does, so the daemon gets {@code repo=docker.io/library/app&tag=latest}.
 */
@Command(name = "tag")
public final class ImageTagCommand extends KeelCommand {

    @Override
    public int run(CommandContext ctx) throws Exception {
        String source = args.get(0);
        String target = args.get(1);
        try {
            ImageReference.validateAny(source);
        } catch (IllegalArgumentException e) {
            throw new CliException(1, "Error parsing reference: \"" + source + "\" is not a valid repository/tag: "
                    + e.getMessage());
        }
        ImageReference ref;
        try {
            ref = ImageReference.parseNormalized(target);
        } catch (IllegalArgumentException e) {
            throw new CliException(1, "Error parsing reference: \"" + target + "\" is not a valid repository/tag: "
                    + e.getMessage());
        }
        if (ref.digest() != null) {
            throw new CliException(1, "refusing to create a tag with a digest reference");
        }
        ref = ref.withDefaultTag();
        Query q = new Query().set("repo", ref.name());
        if (ref.tag() != null) {
            q.set("tag", ref.tag());
        }
        ctx.client().readRaw(ctx.client().call("POST", "/images/" + Query.escape(source, false) + "/tag", q, null,
                null, null));
        return 0;
    }
}
