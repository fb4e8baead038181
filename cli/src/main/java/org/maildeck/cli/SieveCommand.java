package org.maildeck.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code maildeck sieve list|show|put|activate}: a user's Sieve scripts, where ManageSieve and
 * Dovecot Pigeonhole keep them ({@code <mail root>/<domain>/<localpart>/sieve/NAME.sieve}, the
 * active one {@code .dovecot.sieve}), changed through the server so that its checks apply (the
 * script must parse, names and sizes within ManageSieve's limits).
 */
@Command(name = "sieve", description = "Users' Sieve filters (what ManageSieve and Dovecot Pigeonhole share).")
final class SieveCommand {

    @ParentCommand
    private MaildeckAdmin admin;

    @Command(name = "list", description = "The scripts of USER, one per line, the active one marked ACTIVE.")
    void list(@Parameters(paramLabel = "USER") String user) {
        JsonNode scripts = admin.webAdmin().sieveScripts(user);
        if (scripts.isEmpty()) {
            System.out.println(user + ": no Sieve scripts");
            return;
        }
        for (JsonNode script : scripts) {
            System.out.println(script.path("name").asText() + (script.path("active").asBoolean() ? " ACTIVE" : ""));
        }
    }

    @Command(name = "show", description = "The script NAME of USER.")
    void show(@Parameters(paramLabel = "USER") String user, @Parameters(paramLabel = "NAME") String name) {
        System.out.print(admin.webAdmin().sieveScript(user, name));
    }

    @Command(name = "put", description = "Store FILE (standard input when absent or -) as the script NAME of USER; refused if it does not parse.")
    void put(@Parameters(paramLabel = "USER") String user, @Parameters(paramLabel = "NAME") String name,
             @Parameters(paramLabel = "FILE", arity = "0..1") String file) {
        String script;
        try {
            script = file == null || file.equals("-") ? new String(System.in.readAllBytes(), UTF_8) : Files.readString(Path.of(file), UTF_8);
        } catch (IOException e) {
            throw AdminFailure.usage("cannot read %s: %s", file == null ? "standard input" : file, e.getMessage());
        }
        admin.webAdmin().putSieveScript(user, name, script);
        System.out.println(user + ": stored Sieve script " + name);
    }

    @Command(name = "activate", description = "Make NAME the active script of USER; without NAME, none is active.")
    void activate(@Parameters(paramLabel = "USER") String user, @Parameters(paramLabel = "NAME", arity = "0..1") String name) {
        admin.webAdmin().activateSieveScript(user, name == null ? "" : name);
        System.out.println(user + (name == null ? ": no active Sieve script" : ": active Sieve script " + name));
    }
}
