package org.maildeck.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class LineChartTest {

    @Test
    void theTopOfTheScaleIsTheNextRoundFigureAboveTheLargestValue() {
        assertThat(List.of(LineChart.roundAbove(0), LineChart.roundAbove(1), LineChart.roundAbove(3), LineChart.roundAbove(7),
            LineChart.roundAbove(12), LineChart.roundAbove(480))).containsExactly(1.0, 1.0, 5.0, 10.0, 20.0, 500.0);
    }

    @Test
    void theNewestPointIsAtTheRightEdgeAndTheLargestValueAtTheTop() {
        Map<String, Object> chart = new LineChart("Messages", "messages", 61, true).series("received", List.of(0.0, 5.0)).model();

        String points = (String) series(chart).get("points");
        assertThat(points).endsWith((LineChart.WIDTH - 8) + ".0,8.0");
        assertThat(points).startsWith(String.format(java.util.Locale.ROOT, "%.1f,%.1f",
            LineChart.WIDTH - 8 - (LineChart.WIDTH - 48 - 8) / 61.0, (double) (LineChart.HEIGHT - 22)));
    }

    @Test
    void aChartOfCountsShowsTheHoursTotalAndAChartOfLevelsDoesNot() {
        Map<String, Object> counts = new LineChart("Messages", "messages", 61, true).series("received", List.of(2.0, 3.0)).model();
        Map<String, Object> levels = new LineChart("Queue depth", "messages", 61, false).series("spool", List.of(2.0, 3.0)).model();

        assertThat(series(counts)).containsEntry("total", "5").containsEntry("latest", "3");
        assertThat(series(levels)).doesNotContainKey("total");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> series(Map<String, Object> chart) {
        return ((List<Map<String, Object>>) chart.get("series")).get(0);
    }
}
