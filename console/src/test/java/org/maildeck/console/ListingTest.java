package org.maildeck.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class ListingTest {

    private static final List<String> USERS = IntStream.rangeClosed(1, 120).mapToObj(i -> String.format("user%03d@example.test", i)).toList();

    private static Map<String, Object> page(String query, String page) {
        Map<String, Object> model = new HashMap<>();
        Listing.page(USERS, name -> name, query, page, "/users", "domain=example.test&", name -> name, model);
        return model;
    }

    @Test
    void firstPageHasFiftyRowsAndLinksToTheNext() {
        Map<String, Object> model = page("", null);

        assertThat((List<?>) model.get("rows")).hasSize(50).first().isEqualTo("user001@example.test");
        assertThat(model).containsEntry("total", "120").containsEntry("page", "1").containsEntry("pages", "3")
            .containsEntry("next", "/users?domain=example.test&q=&page=2").doesNotContainKey("previous");
    }

    @Test
    void lastPageHasTheRest() {
        Map<String, Object> model = page("", "3");

        assertThat((List<?>) model.get("rows")).hasSize(20).last().isEqualTo("user120@example.test");
        assertThat(model).containsEntry("previous", "/users?domain=example.test&q=&page=2").doesNotContainKey("next");
    }

    @Test
    void searchKeepsMatchingRowsIgnoringCase() {
        Map<String, Object> model = page("USER1", null);

        assertThat((List<?>) model.get("rows")).hasSize(21).allSatisfy(row -> assertThat((String) row).startsWith("user1"));
        assertThat(model).containsEntry("total", "21").doesNotContainKeys("next", "pages");
    }

    @Test
    void pageOutOfRangeOrNotANumberIsTheNearestPage() {
        assertThat(page("", "99")).containsEntry("page", "3");
        assertThat(page("", "-4")).containsEntry("page", "1");
        assertThat(page("", "two")).containsEntry("page", "1");
    }

    @Test
    void searchIsKeptEncodedInTheLinks() {
        Map<String, Object> model = new HashMap<>();
        List<String> many = IntStream.rangeClosed(1, 60).mapToObj(i -> "a&b" + i).toList();

        Listing.page(many, name -> name, "a&b", null, "/aliases", "", name -> name, model);

        assertThat(model).containsEntry("next", "/aliases?q=a%26b&page=2");
    }
}
