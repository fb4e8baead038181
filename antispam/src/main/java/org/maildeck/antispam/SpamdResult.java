package org.maildeck.antispam;

import java.util.List;

/**
 * spamd's verdict: its score, its own threshold ({@code required_score} of the user's
 * preferences) and the names of the rules that hit, e.g. {@code GTUBE, MISSING_DATE}.
 */
public record SpamdResult(boolean spam, double score, double threshold, List<String> symbols) {
    public SpamdResult {
        symbols = List.copyOf(symbols);
    }
}
