package org.maildeck.console;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.Writer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.servlet.http.HttpServletResponse;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;

/**
 * The console's HTML: Mustache templates (classpath {@code org/maildeck/console/templates}),
 * compiled once at start. Every {@code {{value}}} is HTML-escaped by Mustache; the templates
 * have no triple-brace (unescaped) value, no inline script and no inline style, so whatever an
 * admin or a mail sender typed is shown as text and the CSP needs no exception.
 */
final class Views {

    private static final List<String> PAGES = List.of("login", "message", "domains", "users", "aliases",
        "quarantine", "quarantine-entry", "queue", "status", "account-login", "account");

    private final Map<String, Mustache> templates = new HashMap<>();

    Views() {
        DefaultMustacheFactory factory = new DefaultMustacheFactory("org/maildeck/console/templates");
        for (String page : PAGES) {
            templates.put(page, factory.compile(page + ".mustache"));
        }
    }

    void render(HttpServletResponse response, int status, String page, Map<String, Object> model) throws IOException {
        Mustache template = templates.get(page);
        if (template == null) {
            throw new IllegalArgumentException("no template " + page);
        }
        response.setStatus(status);
        response.setContentType("text/html; charset=utf-8");
        response.setCharacterEncoding(UTF_8.name());
        Writer out = response.getWriter();
        template.execute(out, model);
        out.flush();
    }
}
