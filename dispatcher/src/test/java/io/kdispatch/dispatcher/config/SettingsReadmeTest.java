package io.kdispatch.dispatcher.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The README's settings tables are exactly what the catalogue renders ({@link SettingsReference}): a setting
 * added, removed or changed in {@link Settings} without the README (or the reverse) fails here, with a diff
 * and the table to paste.
 */
class SettingsReadmeTest {
    private static final Path README = Path.of("..", "README.md").toAbsolutePath().normalize();

    static List<String> tables() {
        return SettingsReference.TABLES;
    }

    @ParameterizedTest(name = "README table {0}")
    @MethodSource("tables")
    void theReadmeTableIsTheCatalogues(String name) throws IOException {
        List<String> readme = Files.readAllLines(README);
        int open = readme.indexOf(SettingsReference.openingMarker(name));
        int close = readme.indexOf(SettingsReference.closingMarker(name));
        String expected = SettingsReference.table(name);
        if (open < 0 || close < open) {
            fail(README + " lacks the lines\n" + SettingsReference.openingMarker(name) + "\n"
                    + SettingsReference.closingMarker(name) + "\naround the table\n" + expected);
        }
        List<String> actual = readme.subList(open + 1, close);
        List<String> wanted = expected.lines().toList();
        if (!actual.equals(wanted)) {
            fail("README table '" + name + "' differs from the settings catalogue (io.kdispatch.dispatcher.config."
                    + "Settings).\n" + diff(actual, wanted) + "\nReplace the lines between the markers with:\n"
                    + expected);
        }
        assertThat(actual).isEqualTo(wanted);
    }

    /** Lines only in the README ("- ") and only in the catalogue's table ("+ "), in order. */
    private static String diff(List<String> readme, List<String> catalogue) {
        StringBuilder sb = new StringBuilder();
        readme.stream().filter(l -> !catalogue.contains(l)).forEach(l -> sb.append("- ").append(l).append('\n'));
        catalogue.stream().filter(l -> !readme.contains(l)).forEach(l -> sb.append("+ ").append(l).append('\n'));
        if (sb.length() == 0) {
            sb.append("(same lines, different order)\n");
        }
        return sb.toString();
    }
}
