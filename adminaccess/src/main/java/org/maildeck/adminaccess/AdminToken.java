package org.maildeck.adminaccess;

import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.SignatureAlgorithm;

/**
 * A WebAdmin admin token as James's {@code JwtFilter} accepts it: signed with the instance's
 * {@link AdminKeyPair}, claim {@code admin: true}, {@code sub} the admin, whom the mail log
 * names for what the request changes. Short-lived: one admin command's worth.
 */
public final class AdminToken {
    public static final Duration LIFETIME = Duration.ofMinutes(5);

    private AdminToken() {
    }

    public static String sign(PrivateKey key, String admin, Instant now) {
        return Jwts.builder()
            .setSubject(admin)
            .claim("admin", true)
            .setIssuedAt(Date.from(now))
            .setExpiration(Date.from(now.plus(LIFETIME)))
            .signWith(key, SignatureAlgorithm.RS256)
            .compact();
    }
}
