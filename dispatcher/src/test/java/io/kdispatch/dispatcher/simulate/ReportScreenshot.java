package io.kdispatch.dispatcher.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kdispatch.dispatcher.ops.ExternalTool;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Opens an HTML report of {@code simulate} in headless Chromium, takes a screenshot of the first screen
 * (1200 x 900, where {@link HtmlReport} puts its charts) and checks from the pixels that the charts drew:
 * the wait-time bars in each configuration's colour and the utilisation heat map in its white-to-blue
 * scale. Chromium is no Maven artifact: a test that needs it is skipped, with the reason, where
 * {@code /usr/bin/chromium} is absent; {@code .ci/run} installs the Debian package so that CI runs it.
 */
public final class ReportScreenshot {
    /**
     * Where the Debian package {@code chromium} puts its launcher; the system property
     * {@code kdispatch.chromium} names another (e.g. a path that does not exist, to see the skip).
     */
    public static final Path CHROMIUM = Path.of(System.getProperty("kdispatch.chromium", "/usr/bin/chromium"));
    static final int WIDTH = 1200;
    static final int HEIGHT = 900;
    /** The first colours of {@link HtmlReport}'s palette, one per configuration. */
    private static final int[] BAR_COLOURS = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728};
    /** The legend's swatch is 12 px high: a bar must be taller to count as a bar. */
    private static final int MIN_BAR_PX = 13;

    private ReportScreenshot() {
    }

    /** The Chromium launcher; skips the calling test (a JUnit assumption) when it is not installed. */
    public static Path requireChromium() {
        assumeTrue(Files.isExecutable(CHROMIUM), () -> CHROMIUM + " is absent, so the report cannot be opened in a "
                + "browser and this screenshot test is skipped: install the Debian package 'chromium' "
                + "(apt-get install chromium; .ci/run installs it when missing)");
        return CHROMIUM;
    }

    /**
     * Opens {@code report} in headless Chromium with a fresh profile in {@code dir} and no network
     * features, and returns the screenshot of its first screen.
     */
    public static BufferedImage take(Path chromium, Path report, Path dir) throws IOException, InterruptedException {
        Path png = dir.resolve("screenshot.png");
        Path profile = Files.createTempDirectory(dir, "chromium-profile");
        List<String> args = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--screenshot=" + png, "--window-size=" + WIDTH + "," + HEIGHT,
                report.toAbsolutePath().toUri().toString());
        ExternalTool.Outcome outcome = ExternalTool.run(dir, Duration.ofSeconds(120), chromium, args);
        assertThat(outcome.exitCode()).as("chromium's exit status; its output:\n" + outcome.output()).isZero();
        assertThat(png).as("chromium wrote no screenshot; its output:\n" + outcome.output()).exists();
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as("a PNG that javax.imageio decodes").isNotNull();
        return image;
    }

    /**
     * Asserts that {@code image} shows the wait-time chart with a bar for each of the first
     * {@code configurations} configurations and a utilisation heat map at least {@code minHeatWidth} px wide.
     */
    public static void assertChartsRendered(BufferedImage image, int configurations, int minHeatWidth) {
        assertThat(image.getWidth()).isEqualTo(WIDTH);
        assertThat(image.getHeight()).isEqualTo(HEIGHT);
        for (int i = 0; i < Math.min(configurations, BAR_COLOURS.length); i++) {
            assertThat(tallestRun(image, BAR_COLOURS[i]))
                    .as("the tallest wait-time bar of configuration %d (colour #%06x), in px", i + 1, BAR_COLOURS[i])
                    .isGreaterThanOrEqualTo(MIN_BAR_PX);
        }
        int[] box = heatBox(image);
        assertThat(box[4]).as("pixels of the utilisation heat map's scale (white to dark blue)")
                .isGreaterThan(minHeatWidth * 5);
        assertThat(box[2] - box[0] + 1).as("width of the heat map, in px").isGreaterThanOrEqualTo(minHeatWidth);
        assertThat(box[3] - box[1] + 1).as("height of the heat map, in px").isGreaterThanOrEqualTo(14);
    }

    /** The longest vertical run of pixels of exactly {@code rgb}: the tallest bar of that colour. */
    private static int tallestRun(BufferedImage image, int rgb) {
        int best = 0;
        for (int x = 0; x < image.getWidth(); x++) {
            int run = 0;
            for (int y = 0; y < image.getHeight(); y++) {
                run = (image.getRGB(x, y) & 0xffffff) == rgb ? run + 1 : 0;
                best = Math.max(best, run);
            }
        }
        return best;
    }

    /** Bounding box (x0, y0, x1, y1) and count of the pixels on the heat map's scale at 6% or more. */
    private static int[] heatBox(BufferedImage image) {
        int[] box = {Integer.MAX_VALUE, Integer.MAX_VALUE, -1, -1, 0};
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if (onHeatScale(image.getRGB(x, y))) {
                    box[0] = Math.min(box[0], x);
                    box[1] = Math.min(box[1], y);
                    box[2] = Math.max(box[2], x);
                    box[3] = Math.max(box[3], y);
                    box[4]++;
                }
            }
        }
        return box;
    }

    /**
     * Whether {@code rgb} is a colour of {@link HtmlReport}'s heat scale (white at 0, #08306b at 1) at 6% or more:
     * below that, the greys of anti-aliased text come within the tolerance.
     */
    static boolean onHeatScale(int rgb) {
        int r = (rgb >> 16) & 0xff;
        int g = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        double f = (255 - r) / 247.0;
        return f >= 0.06 && f <= 1.0 && Math.abs(255 - f * 207 - g) <= 3 && Math.abs(255 - f * 148 - b) <= 3;
    }
}
