package keel.engine.api.plugin;

import java.util.List;

/** What removing a plugin did, and what data it left in place (sentences for the operator). */
public record RemovalReport(String name, List<String> driversRemoved, List<String> dataKept) {}
