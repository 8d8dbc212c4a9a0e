package io.kdispatch.sdk.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The SDK's version, reported in heartbeats; read from a resource filtered by the build. */
public final class SdkVersion {
    /** The version, or {@code "unknown"} when the resource is missing (e.g. an unfiltered IDE build). */
    public static final String VERSION = load();

    private SdkVersion() {
    }

    private static String load() {
        try (InputStream in = SdkVersion.class.getResourceAsStream("/io/kdispatch/sdk/sdk-version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties props = new Properties();
            props.load(in);
            String version = props.getProperty("version", "unknown");
            return version.startsWith("${") ? "unknown" : version;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
