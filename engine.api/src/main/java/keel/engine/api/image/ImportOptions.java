package keel.engine.api.image;

import java.util.List;

/**
 * Options of {@code docker import}: the name to give the image (repository may be null for an untagged image),
 * Dockerfile instructions to apply ({@code CMD ["sh"]}, {@code ENV A=b}, ...), a commit message and a platform.
 */
public record ImportOptions(String repository, String tag, List<String> changes, String message, String platform) {}
