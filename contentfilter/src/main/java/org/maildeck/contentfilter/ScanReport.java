package org.maildeck.contentfilter;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Every scanner's verdict on one message, in the order the scanners are configured. */
public record ScanReport(List<ScannerVerdict> verdicts, Duration elapsed) {

    public ScanReport {
        verdicts = List.copyOf(verdicts);
    }

    public Optional<ScannerVerdict.Infected> infection() {
        return verdicts.stream()
            .filter(ScannerVerdict.Infected.class::isInstance)
            .map(ScannerVerdict.Infected.class::cast)
            .findFirst();
    }

    public Optional<ScannerVerdict.Banned> banned() {
        return verdicts.stream()
            .filter(ScannerVerdict.Banned.class::isInstance)
            .map(ScannerVerdict.Banned.class::cast)
            .findFirst();
    }

    public Optional<ScannerVerdict.Scored> spamScore() {
        return verdicts.stream()
            .filter(ScannerVerdict.Scored.class::isInstance)
            .map(ScannerVerdict.Scored.class::cast)
            .findFirst();
    }

    public List<ScannerVerdict.Failed> failures() {
        return verdicts.stream()
            .filter(ScannerVerdict.Failed.class::isInstance)
            .map(ScannerVerdict.Failed.class::cast)
            .toList();
    }

    public Optional<ScannerVerdict> of(String scanner) {
        return verdicts.stream().filter(verdict -> verdict.scanner().equals(scanner)).findFirst();
    }
}
