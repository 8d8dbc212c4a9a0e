package io.kdispatch.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kdispatch.schemas.Task;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The current generated classes must read data written with every released schema version. Each
 * {@code src/test/resources/released/vN/} folder holds the {@code .avsc} files of release N (see the
 * README there); adding a field without a default, removing a default, or changing a type
 * incompatibly makes this test fail.
 */
class BackwardCompatibilityTest {

    @TestFactory
    Stream<DynamicTest> currentSchemasReadEveryReleasedVersion() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path version : releasedVersions()) {
            for (Schema released : parseFolder(version).values()) {
                String name = version.getFileName() + "/" + released.getName();
                tests.add(DynamicTest.dynamicTest(name, () -> assertCurrentReads(released, name)));
            }
        }
        assertFalse(tests.isEmpty(), "no released schemas found under released/");
        return tests.stream();
    }

    @Test
    void theCheckCatchesAFieldAddedWithoutDefault() {
        Schema released = Task.getClassSchema();
        Schema current = SchemaEvolutionTest.withExtraField(released, "costCenter");
        Schema withoutDefault = Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false,
                current.getFields().stream()
                        .map(f -> f.name().equals("costCenter") ? new Schema.Field(f.name(), f.schema())
                                : new Schema.Field(f, f.schema()))
                        .toList());
        assertEquals(SchemaCompatibilityType.INCOMPATIBLE, compatibility(withoutDefault, released).getCompatibility());
        assertEquals(SchemaCompatibilityType.COMPATIBLE, compatibility(current, released).getCompatibility(),
                "with a default the same change is fine");
    }

    @Test
    void releasedV1HoldsEveryMessageType() throws Exception {
        Map<String, Schema> v1 = parseFolder(releasedRoot().resolve("v1"));
        for (String type : List.of("Task", "TaskAssignment", "TaskResult", "WorkerHeartbeat", "DeadLetter")) {
            assertTrue(v1.containsKey("io.kdispatch.schemas." + type), "v1 lacks " + type + ": " + v1.keySet());
        }
    }

    private static void assertCurrentReads(Schema released, String name) {
        Class<?> generated = SpecificData.get().getClass(released);
        if (generated == null) {
            fail(name + ": no generated class " + released.getFullName()
                    + " any more; a released record type must not be removed or renamed (use aliases)");
        }
        Schema current = SpecificData.get().getSchema(generated);
        SchemaCompatibility.SchemaCompatibilityResult result = compatibility(current, released);
        if (result.getCompatibility() != SchemaCompatibilityType.COMPATIBLE) {
            fail(name + ": the current " + released.getFullName() + " cannot read data written with released "
                    + name + ". New fields need a default. Incompatibilities: " + RegistryAvroDeserializer.describe(result));
        }
    }

    private static SchemaCompatibility.SchemaCompatibilityResult compatibility(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult();
    }

    private static List<Path> releasedVersions() throws IOException, URISyntaxException {
        try (Stream<Path> entries = Files.list(releasedRoot())) {
            return entries.filter(Files::isDirectory).sorted().toList();
        }
    }

    private static Path releasedRoot() throws URISyntaxException {
        var url = BackwardCompatibilityTest.class.getResource("/released");
        assertNotNull(url, "src/test/resources/released is missing");
        return Path.of(url.toURI());
    }

    /**
     * Parses every {@code .avsc} in {@code folder}, each schema in a fresh parser seeded with the ones
     * parsed so far, retrying until files that reference others (Task → LabelRequirement) resolve.
     */
    static Map<String, Schema> parseFolder(Path folder) throws IOException {
        List<Path> pending;
        try (Stream<Path> files = Files.list(folder)) {
            pending = new ArrayList<>(files.filter(p -> p.toString().endsWith(".avsc")).sorted().toList());
        }
        Map<String, Schema> known = new LinkedHashMap<>();
        Map<String, Schema> topLevel = new LinkedHashMap<>();
        while (!pending.isEmpty()) {
            List<Path> failed = new ArrayList<>();
            AvroRuntimeException lastError = null;
            for (Path file : pending) {
                Schema.Parser parser = new Schema.Parser().addTypes(known.values());
                try {
                    Schema schema = parser.parse(Files.readString(file));
                    topLevel.put(schema.getFullName(), schema);
                    known.putAll(parser.getTypes());
                } catch (AvroRuntimeException e) {
                    failed.add(file);
                    lastError = e;
                }
            }
            if (failed.size() == pending.size()) {
                throw new IllegalStateException("cannot parse " + failed + " in " + folder, lastError);
            }
            pending = failed;
        }
        return topLevel;
    }
}
