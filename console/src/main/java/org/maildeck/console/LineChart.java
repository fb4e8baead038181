package org.maildeck.console;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A chart of the last hour drawn as inline SVG on the server: the template gets each series as
 * a polyline's {@code points} and the axis labels as text, all plain values that Mustache
 * escapes like any other, so the page needs neither a script nor an unescaped fragment (the CSP
 * forbids the one, the console's templates never use the other).
 *
 * <p>The x axis is the last hour, a point per minute, the newest at the right edge; the y axis
 * starts at zero and ends at a round figure above the largest value, so a quiet hour is a flat
 * line at the bottom, not noise blown up to the full height.</p>
 */
final class LineChart {

    static final int WIDTH = 600;
    static final int HEIGHT = 160;
    private static final int LEFT = 48;
    private static final int RIGHT = 8;
    private static final int TOP = 8;
    private static final int BOTTOM = 22;
    private static final String[] COLOURS = {"#1f77b4", "#2ca02c", "#d62728", "#9467bd", "#ff7f0e", "#8c564b"};

    private final String title;
    private final String unit;
    private final int minutes;
    private final boolean counts;
    private final Map<String, List<Double>> series = new LinkedHashMap<>();

    /**
     * @param minutes how many points a full series has (the x axis's span)
     * @param counts whether the values are counts per minute, whose sum over the hour means
     *               something (shown in the legend), rather than levels (latencies, depths)
     */
    LineChart(String title, String unit, int minutes, boolean counts) {
        this.title = title;
        this.unit = unit;
        this.minutes = minutes;
        this.counts = counts;
    }

    /** A series, its values oldest first; the last is drawn at the right edge. */
    LineChart series(String name, List<Double> values) {
        series.put(name, List.copyOf(values));
        return this;
    }

    /** What the {@code chart} partial draws. */
    Map<String, Object> model() {
        double top = roundAbove(series.values().stream().flatMap(List::stream).mapToDouble(Double::doubleValue).max().orElse(0));
        List<Map<String, Object>> lines = new ArrayList<>();
        int index = 0;
        for (Map.Entry<String, List<Double>> line : series.entrySet()) {
            Map<String, Object> model = new LinkedHashMap<>();
            model.put("name", line.getKey());
            model.put("colour", COLOURS[index++ % COLOURS.length]);
            model.put("points", points(line.getValue(), top));
            model.put("latest", format(line.getValue().isEmpty() ? 0 : line.getValue().get(line.getValue().size() - 1)));
            if (counts) {
                model.put("total", format(line.getValue().stream().mapToDouble(Double::doubleValue).sum()));
            }
            lines.add(model);
        }
        Map<String, Object> chart = new LinkedHashMap<>();
        chart.put("title", title);
        chart.put("unit", unit);
        chart.put("width", WIDTH);
        chart.put("height", HEIGHT);
        chart.put("top", format(top));
        chart.put("plotLeft", LEFT);
        chart.put("plotRight", WIDTH - RIGHT);
        chart.put("plotTop", TOP);
        chart.put("plotBottom", HEIGHT - BOTTOM);
        chart.put("labelY", HEIGHT - 6);
        chart.put("labelMiddle", LEFT + (WIDTH - LEFT - RIGHT) / 2);
        chart.put("series", lines);
        chart.put("empty", series.isEmpty());
        return chart;
    }

    private String points(List<Double> values, double top) {
        double step = (double) (WIDTH - LEFT - RIGHT) / minutes;
        double height = HEIGHT - TOP - BOTTOM;
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            double x = WIDTH - RIGHT - (values.size() - 1 - i) * step;
            double y = HEIGHT - BOTTOM - (top == 0 ? 0 : values.get(i) / top * height);
            if (!points.isEmpty()) {
                points.append(' ');
            }
            points.append(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
        }
        return points.toString();
    }

    /** The smallest of 1, 2, 5 times a power of ten at or above {@code value} (at least 1). */
    static double roundAbove(double value) {
        double power = 1;
        while (true) {
            for (int factor : new int[] {1, 2, 5}) {
                if (factor * power >= value) {
                    return factor * power;
                }
            }
            power *= 10;
        }
    }

    private static String format(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.1f", value);
    }
}
