package keel.engine.api.network;

/** {@code POST /networks/create}'s answer. */
public record NetworkCreateResult(String id, String warning) {}
