package keel.engine.api.container;

/**
 * {@code POST /containers/{id}/attach}: which streams; {@code logs} replays what was already written (as
 * {@code docker attach --logs}, and what {@code docker start -a} of an exited container shows); {@code stream}
 * follows live output.
 */
public record AttachOptions(boolean stdin, boolean stdout, boolean stderr, boolean logs, boolean stream,
        String detachKeys) {}
