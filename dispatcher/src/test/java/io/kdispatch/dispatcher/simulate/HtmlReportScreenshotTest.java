package io.kdispatch.dispatcher.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report of a shipped example scenario opens in headless Chromium and its charts render: the
 * screenshot of the first screen shows a wait-time bar in each configuration's colour and a utilisation heat
 * map. The same page without its charts fails the same check, so the check sees the charts, not the page.
 * Skipped, saying why, where Chromium is not installed ({@link ReportScreenshot#requireChromium()}).
 */
class HtmlReportScreenshotTest {
    private static final Path EXAMPLE = Path.of("..", "docs", "scenarios", "worker-death.yaml");

    @Test
    void theChartsOfAShippedScenariosReportRenderInChromium(@TempDir Path dir) throws Exception {
        Path chromium = ReportScreenshot.requireChromium();
        Comparison c = Comparison.run(ScenarioParser.read(EXAMPLE),
                Comparison.configs(List.of("strategy=consistent-hash,least-loaded")), 42);
        String html = HtmlReport.render(c);
        Path report = Files.writeString(dir.resolve("report.html"), html, StandardCharsets.UTF_8);

        BufferedImage shot = ReportScreenshot.take(chromium, report, dir);
        ReportScreenshot.assertChartsRendered(shot, 2, 600);

        String withoutCharts = html.replaceAll("(?s)<svg.*?</svg>", "");
        Path bare = Files.writeString(dir.resolve("bare.html"), withoutCharts, StandardCharsets.UTF_8);
        BufferedImage bareShot = ReportScreenshot.take(chromium, bare, Files.createDirectory(dir.resolve("bare")));
        assertThatThrownBy(() -> ReportScreenshot.assertChartsRendered(bareShot, 2, 600))
                .as("the same page without its charts").isInstanceOf(AssertionError.class);
    }

    @Test
    void theHeatScaleIsTheReportsAndNotItsOtherColours() {
        assertThat(ReportScreenshot.onHeatScale(0x08306b)).as("full").isTrue();
        assertThat(ReportScreenshot.onHeatScale(0x8498b5)).as("half").isTrue();
        assertThat(ReportScreenshot.onHeatScale(0xffffff)).as("white, idle or background").isFalse();
        assertThat(ReportScreenshot.onHeatScale(0x1f77b4)).as("the first bar colour").isFalse();
        assertThat(ReportScreenshot.onHeatScale(0xf6f6f6)).as("the table's background").isFalse();
        assertThat(ReportScreenshot.onHeatScale(0x000000)).as("text").isFalse();
        assertThat(ReportScreenshot.onHeatScale(0xf0f0f0)).as("light grey of anti-aliased text").isFalse();
        assertThat(ReportScreenshot.onHeatScale(0xe0e0e0)).as("grey of anti-aliased text").isFalse();
        assertThat(ReportScreenshot.onHeatScale(0xebeef3)).as("8%").isTrue();
    }
}
