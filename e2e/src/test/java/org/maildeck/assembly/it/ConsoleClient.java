package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The web console over plain HTTP (java.net.http), as a browser without JavaScript sends it:
 * forms, cookies by hand (nothing is remembered between calls unless the test passes it on),
 * no redirect followed, so that each answer is seen as the server gave it.
 */
final class ConsoleClient {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final Pattern SET_COOKIE = Pattern.compile("^([^=]+)=([^;]*)");

    /** A logged-in session: its cookie and the CSRF token of its forms. */
    record Session(String cookie, String csrf) {
    }

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;
    /** Sent as X-Forwarded-For on every request, when the server is configured behind.proxy. */
    private final Optional<String> forwardedFor;

    ConsoleClient(int port) {
        this(port, Optional.empty());
    }

    ConsoleClient(int port, Optional<String> forwardedFor) {
        this.port = port;
        this.forwardedFor = forwardedFor;
    }

    ConsoleClient from(String address) {
        return new ConsoleClient(port, Optional.of(address));
    }

    Session login(String name, String password) throws IOException {
        return loggedIn("/login", name, password, "/domains");
    }

    /** A mail user's self-service session, logged in with its mail password. */
    Session loginMailUser(String address, String password) throws IOException {
        return loggedIn("/account/login", address, password, "/account");
    }

    private Session loggedIn(String loginPath, String name, String password, String landing) throws IOException {
        HttpResponse<String> answer = tryLogin(loginPath, name, password);
        if (answer.statusCode() != 303) {
            throw new IOException("login of " + name + " answered " + answer.statusCode() + ": " + answer.body());
        }
        String cookie = cookie(answer, "maildeck_session").orElseThrow(() -> new IOException("no session cookie: " + answer.headers()));
        return new Session(cookie, csrf(get(landing, cookie).body()));
    }

    HttpResponse<String> tryLogin(String name, String password) throws IOException {
        return tryLogin("/login", name, password);
    }

    /** The login form at {@code loginPath} fetched (its token in a cookie and a field), then posted. */
    HttpResponse<String> tryLogin(String loginPath, String name, String password) throws IOException {
        HttpResponse<String> form = get(loginPath, null);
        String token = csrf(form.body());
        String loginCookie = "maildeck_login=" + cookie(form, "maildeck_login").orElseThrow();
        return send(request(loginPath, loginCookie).header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("csrf", token, "name", name, "password", password)))).build());
    }

    HttpResponse<String> get(String path, String cookie) throws IOException {
        return send(request(path, cookie).GET().build());
    }

    HttpResponse<String> post(String path, Session session, Map<String, String> fields) throws IOException {
        Map<String, String> withToken = new LinkedHashMap<>(fields);
        withToken.putIfAbsent("csrf", session.csrf());
        return postForm(path, session.cookie(), withToken);
    }

    HttpResponse<String> postForm(String path, String cookie, Map<String, String> fields) throws IOException {
        return postRaw(path, cookie, "application/x-www-form-urlencoded", form(fields));
    }

    HttpResponse<String> postRaw(String path, String cookie, String contentType, String body) throws IOException {
        return send(request(path, cookie).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static String csrf(String page) throws IOException {
        Matcher matcher = CSRF.matcher(page);
        if (!matcher.find()) {
            throw new IOException("no CSRF token in the page: " + page);
        }
        return matcher.group(1);
    }

    private HttpRequest.Builder request(String path, String cookie) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30));
        if (cookie != null) {
            builder.header("Cookie", cookie.contains("=") ? cookie : "maildeck_session=" + cookie);
        }
        forwardedFor.ifPresent(address -> builder.header("X-Forwarded-For", address));
        return builder;
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    static Optional<String> cookie(HttpResponse<?> answer, String name) {
        return answer.headers().allValues("Set-Cookie").stream()
            .map(SET_COOKIE::matcher)
            .filter(Matcher::find)
            .filter(matcher -> matcher.group(1).equals(name))
            .map(matcher -> matcher.group(2))
            .findFirst();
    }

    static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
            .map(field -> URLEncoder.encode(field.getKey(), UTF_8) + "=" + URLEncoder.encode(field.getValue(), UTF_8))
            .collect(Collectors.joining("&"));
    }
}
