package io.kdispatch.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kdispatch.schemas.serde.SerdeConfig;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Micrometer is optional: without it on the class path a worker is still built and used. */
class NoMicrometerTest {

    /** Runs inside a class loader that cannot see Micrometer. */
    public static final class Probe implements Supplier<String> {
        @Override
        public String get() {
            Worker worker = Worker.builder().workerId("no-metrics").bootstrapServers("localhost:9092")
                    .serdeConfig(SerdeConfig.of("mock://no-metrics")).handler(ctx -> null).maxQueued(3).build();
            worker.close();
            return worker.state().name();
        }
    }

    @Test
    void aWorkerIsBuiltAndClosedWithoutMicrometer() throws Exception {
        try (URLClassLoader isolated = new URLClassLoader(classPathWithoutMicrometer(),
                ClassLoader.getPlatformClassLoader())) {
            assertThrows(ClassNotFoundException.class,
                    () -> isolated.loadClass("io.micrometer.core.instrument.MeterRegistry"), "the premise");
            @SuppressWarnings("unchecked")
            Supplier<String> probe = (Supplier<String>) isolated.loadClass(Probe.class.getName())
                    .getConstructor().newInstance();
            assertEquals("TERMINATED", probe.get());
        }
    }

    private static URL[] classPathWithoutMicrometer() throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<URL> urls = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (!entry.isBlank() && !entry.contains("micrometer")) {
                urls.add(new File(entry).toURI().toURL());
            }
        }
        assertTrue(urls.size() > 3, "the test class path was found: " + classPath);
        return urls.toArray(URL[]::new);
    }
}
