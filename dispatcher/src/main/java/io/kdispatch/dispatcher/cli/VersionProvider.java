package io.kdispatch.dispatcher.cli;

import picocli.CommandLine;

/** Reports the version from the jar manifest (or "development" when run from classes). */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Main.class.getPackage().getImplementationVersion();
        return new String[] {"kdispatch " + (version == null ? "development" : version)};
    }
}
