package keel.engine.rest.internal.routes;

/**
 * The {@code repo} and {@code tag} query parameters of tag and import. Clients may put the tag in {@code repo}
 * ({@code repo=app:1.0}, what the CLI sends for {@code docker import f.tar app:1.0}); an explicit {@code tag}
 * wins, as dockerd applies it on top of the parsed repository. A colon before the last slash belongs to a
 * registry host ({@code localhost:5000/app}), not to a tag.
 */
record RepositoryTag(String repository, String tag) {

    static RepositoryTag of(String repo, String tag) {
        if (repo == null || repo.isEmpty()) {
            return new RepositoryTag(null, tag == null || tag.isEmpty() ? null : tag);
        }
        String name = repo;
        String inline = null;
        int colon = repo.lastIndexOf(':');
        if (colon > repo.lastIndexOf('/') && repo.indexOf('@') < 0) {
            name = repo.substring(0, colon);
            inline = repo.substring(colon + 1);
        }
        String chosen = tag != null && !tag.isEmpty() ? tag : inline;
        return new RepositoryTag(name, chosen == null || chosen.isEmpty() ? null : chosen);
    }
}
