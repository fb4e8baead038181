package org.maildeck.mailets.sieve;

import org.apache.jsieve.comparators.AsciiNumeric;

/**
 * {@code i;ascii-numeric} (RFC 4790 9.1) with the ordering {@code relational} needs: a string is
 * the number its leading digits spell, and a string that does not start with a digit (the empty
 * one too) is positive infinity, equal to any other such string. jSieve's own fails on the empty
 * string.
 */
public class NumericComparator extends AsciiNumeric implements OrderingComparator {

    @Override
    public boolean equals(String string1, String string2) {
        return compare(string1, string2) == 0;
    }

    @Override
    public int compare(String value, String key) {
        int digitsOfValue = leadingDigits(value);
        int digitsOfKey = leadingDigits(key);
        if (digitsOfValue == 0 || digitsOfKey == 0) {
            return Boolean.compare(digitsOfValue == 0, digitsOfKey == 0);
        }
        // as numbers, without making them numbers (a header of a million digits would take long)
        String a = withoutLeadingZeros(value.substring(0, digitsOfValue));
        String b = withoutLeadingZeros(key.substring(0, digitsOfKey));
        return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
    }

    private static String withoutLeadingZeros(String digits) {
        int at = 0;
        while (at < digits.length() - 1 && digits.charAt(at) == '0') {
            at++;
        }
        return digits.substring(at);
    }

    private static int leadingDigits(String text) {
        int digits = 0;
        while (digits < text.length() && text.charAt(digits) >= '0' && text.charAt(digits) <= '9') {
            digits++;
        }
        return digits;
    }
}
