package org.maildeck.console;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.URLEncoder;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * One page of a searched list (domains, users, aliases): the rows whose text contains the
 * search, case-insensitively, {@value #PAGE_SIZE} per page, with the links to the pages around.
 */
final class Listing {

    static final int PAGE_SIZE = 50;

    private Listing() {
    }

    /**
     * Fills {@code model} with {@code rows}, {@code total}, {@code page}, {@code pages},
     * {@code previous}, {@code next} and {@code query}; {@code path} and {@code fixedQuery} (a
     * {@code name=value&} prefix, or empty) make the links.
     */
    static <T> void page(List<T> all, Function<T, String> text, String query, String pageParameter,
                         String path, String fixedQuery, Function<T, Object> row, Map<String, Object> model) {
        String needle = query.toLowerCase(Locale.ROOT);
        List<T> found = all.stream().filter(item -> text.apply(item).toLowerCase(Locale.ROOT).contains(needle)).toList();
        int pages = Math.max(1, (found.size() + PAGE_SIZE - 1) / PAGE_SIZE);
        int page = Math.min(pages, Math.max(1, parsePage(pageParameter)));
        model.put("rows", found.subList((page - 1) * PAGE_SIZE, Math.min(found.size(), page * PAGE_SIZE)).stream().map(row).toList());
        model.put("total", String.valueOf(found.size()));
        model.put("query", query);
        model.put("path", path);
        if (pages > 1) {
            model.put("page", String.valueOf(page));
            model.put("pages", String.valueOf(pages));
        }
        String base = path + "?" + fixedQuery + "q=" + URLEncoder.encode(query, UTF_8) + "&page=";
        if (page > 1) {
            model.put("previous", base + (page - 1));
        }
        if (page < pages) {
            model.put("next", base + (page + 1));
        }
    }

    private static int parsePage(String text) {
        try {
            return text == null ? 1 : Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
