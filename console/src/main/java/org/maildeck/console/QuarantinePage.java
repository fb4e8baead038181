package org.maildeck.console;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import javax.mail.MessagingException;
import javax.servlet.http.HttpServletResponse;

import org.maildeck.contentfilter.quarantine.Quarantine;
import org.maildeck.contentfilter.quarantine.QuarantineEntry;
import org.maildeck.mailets.quarantine.QuarantineDeletion;
import org.maildeck.mailets.quarantine.QuarantineRelease;

/**
 * The quarantine: entries by category (virus, banned, spam, unchecked…), newest first, one
 * shown with its scan report and headers, released (through {@link QuarantineRelease}, as
 * {@code maildeck quarantine release} does) or deleted (through {@link QuarantineDeletion}).
 * <p>
 * A domain admin sees and acts on an entry only when <em>every</em> recipient is in one of its
 * domains: a release delivers to all of them, so an entry shared with another domain stays the
 * super-admin's.
 */
final class QuarantinePage implements Page {

    /** Enough of the headers to judge a message; a longer header block is cut, said so. */
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final int CATEGORY = 32;
    private static final int ID = 64;

    private final Quarantine quarantine;
    private final QuarantineRelease release;
    private final QuarantineDeletion deletion;

    QuarantinePage(Quarantine quarantine, QuarantineRelease release, QuarantineDeletion deletion) {
        this.quarantine = quarantine;
        this.release = release;
        this.deletion = deletion;
    }

    @Override
    public String name() {
        return "quarantine";
    }

    @Override
    public void show(Exchange exchange) throws IOException {
        String id = exchange.field("id", ID);
        if (!id.isEmpty()) {
            showEntry(exchange, visibleEntry(exchange, id));
            return;
        }
        List<QuarantineEntry> visible = quarantine.list().stream()
            .filter(entry -> visibleTo(exchange.admin, entry))
            .sorted(Comparator.comparing(QuarantineEntry::time).reversed())
            .toList();
        String category = exchange.field("category", CATEGORY);
        Map<String, Object> model = exchange.model("Quarantine");
        model.put("onQuarantine", true);
        model.put("categories", categories(visible, category));
        model.put("categoryFilter", category);
        List<QuarantineEntry> inCategory = visible.stream().filter(entry -> category.isEmpty() || entry.category().equals(category)).toList();
        Listing.page(inCategory, entry -> entry.sender() + " " + String.join(" ", entry.recipients()) + " " + entry.reason(),
            exchange.field("q", Exchange.Fields.SEARCH), exchange.request.getParameter("page"), "/quarantine",
            "category=" + URLEncoder.encode(category, UTF_8) + "&", QuarantinePage::row, model);
        exchange.render(HttpServletResponse.SC_OK, "quarantine", model);
    }

    private void showEntry(Exchange exchange, QuarantineEntry entry) throws IOException {
        Map<String, Object> model = exchange.model("Quarantined message " + entry.id());
        model.put("onQuarantine", true);
        model.putAll(row(entry));
        model.put("headers", headers(entry.id()));
        exchange.render(HttpServletResponse.SC_OK, "quarantine-entry", model);
    }

    @Override
    public void change(Exchange exchange, String action) throws IOException {
        String id = exchange.field("id", ID);
        switch (action) {
            case "release" -> {
                QuarantineEntry entry = visibleEntry(exchange, id);
                String queueId;
                try {
                    queueId = release.release(id, exchange.admin.name()).orElseThrow(() -> noSuchEntry(id));
                } catch (MessagingException e) {
                    throw new Exchange.FieldRefused("could not release " + id + ": " + e.getMessage());
                }
                exchange.audit("quarantine release " + id + " (" + entry.category() + ": " + entry.reason() + "), queue id=" + queueId);
                exchange.redirectAfterChange("/quarantine", "Message " + id + " released, queue id " + queueId + ".");
            }
            case "delete" -> {
                QuarantineEntry entry = visibleEntry(exchange, id);
                if (!deletion.delete(id, exchange.admin.name())) {
                    throw noSuchEntry(id);
                }
                exchange.audit("quarantine delete " + id + " (" + entry.category() + ": " + entry.reason() + ")");
                exchange.redirectAfterChange("/quarantine", "Message " + id + " deleted.");
            }
            default -> exchange.response.sendError(HttpServletResponse.SC_NOT_FOUND);
        }
    }

    /** The entry {@code id}: refused when malformed or missing (400), or out of the admin's domains (403). */
    private QuarantineEntry visibleEntry(Exchange exchange, String id) {
        if (!Quarantine.isWellFormed(id)) {
            throw new Exchange.FieldRefused("id: not a quarantine id");
        }
        QuarantineEntry entry = quarantine.find(id).orElseThrow(() -> noSuchEntry(id));
        if (!visibleTo(exchange.admin, entry)) {
            throw new Page.Forbidden("quarantined message " + id + " has recipients outside your domains");
        }
        return entry;
    }

    private static boolean visibleTo(ConsoleAdmin admin, QuarantineEntry entry) {
        return admin.superAdmin() || entry.recipients().stream().allMatch(recipient -> Scope.manages(admin, recipient));
    }

    private static Exchange.FieldRefused noSuchEntry(String id) {
        return new Exchange.FieldRefused("no quarantined message " + id);
    }

    private static List<Map<String, Object>> categories(List<QuarantineEntry> visible, String selected) {
        TreeSet<String> names = new TreeSet<>();
        visible.forEach(entry -> names.add(entry.category()));
        List<Map<String, Object>> categories = new ArrayList<>();
        categories.add(Map.of("name", "all", "link", "/quarantine", "selected", selected.isEmpty(),
            "count", String.valueOf(visible.size())));
        for (String name : names) {
            categories.add(Map.of("name", name, "link", "/quarantine?category=" + URLEncoder.encode(name, UTF_8), "selected", name.equals(selected),
                "count", String.valueOf(visible.stream().filter(entry -> entry.category().equals(name)).count())));
        }
        return categories;
    }

    private static Map<String, Object> row(QuarantineEntry entry) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", entry.id());
        row.put("time", entry.time().toString());
        row.put("entryCategory", entry.category());
        row.put("reason", entry.reason());
        row.put("sender", entry.sender().isEmpty() ? "<>" : entry.sender());
        row.put("recipients", String.join(", ", entry.recipients()));
        row.put("size", String.valueOf(entry.size()));
        return row;
    }

    /** The header block as caught (up to the first empty line), as text: Mustache escapes it on the page. */
    private String headers(String id) throws IOException {
        Optional<InputStream> message = quarantine.open(id);
        if (message.isEmpty()) {
            throw noSuchEntry(id);
        }
        try (InputStream in = message.get()) {
            String head = new String(in.readNBytes(MAX_HEADER_BYTES), ISO_8859_1).replace("\r\n", "\n");
            int end = head.indexOf("\n\n");
            return end >= 0 ? head.substring(0, end) : head + "\n[headers longer than " + MAX_HEADER_BYTES + " bytes: cut]";
        }
    }
}
