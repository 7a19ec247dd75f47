package io.tessera.server.imports;

/**
 * Narrows one column's type as values stream by (pass one of a load). Empty values say nothing. A
 * quoted value counts as text when quoted-field guessing is off ({@code QUOTED_FIELDS_AS_STRING}).
 */
public final class TypeGuesser {
    private static final long INT32_MAX = Integer.MAX_VALUE;
    private static final long INT32_MIN = Integer.MIN_VALUE;

    private boolean seen;
    private boolean int32 = true;
    private boolean int64 = true;
    private boolean integral = true;
    private boolean real = true;
    private boolean bool = true;
    private boolean date = true;
    private boolean dateTime = true;

    public void offer(String raw, boolean quoted) {
        String v = raw.trim();
        if (v.isEmpty()) {
            return;
        }
        seen = true;
        if (quoted) {
            int32 = int64 = integral = real = bool = date = dateTime = false;
            return;
        }
        if (integral) {
            if (!isInteger(v)) {
                integral = int64 = int32 = false;
            } else if (int64) {
                try {
                    long n = Long.parseLong(v);
                    if (n > INT32_MAX || n < INT32_MIN) {
                        int32 = false;
                    }
                } catch (NumberFormatException e) {
                    int64 = int32 = false;
                }
            }
        }
        if (real && !integral && !isReal(v)) {
            real = false;
        }
        if (bool && !(v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false"))) {
            bool = false;
        }
        if (dateTime) {
            int kind = dateKind(v);
            if (kind == 0) {
                date = dateTime = false;
            } else if (kind == 2) {
                date = false;
            }
        }
    }

    public ColumnType type() {
        if (!seen) {
            return ColumnType.TEXT;
        }
        if (bool) {
            return ColumnType.BOOLEAN;
        }
        if (integral) {
            return int32 ? ColumnType.INTEGER : int64 ? ColumnType.BIGINT : ColumnType.NUMERIC;
        }
        if (real) {
            return ColumnType.DOUBLE;
        }
        if (date) {
            return ColumnType.DATE;
        }
        if (dateTime) {
            return ColumnType.TIMESTAMP;
        }
        return ColumnType.TEXT;
    }

    /** Digits with an optional minus; a leading zero (but "0" itself) keeps the value text. */
    static boolean isInteger(String v) {
        int i = v.charAt(0) == '-' ? 1 : 0;
        if (i == v.length()) {
            return false;
        }
        if (v.charAt(i) == '0' && v.length() > i + 1) {
            return false;
        }
        for (; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** {@code -12.5}, {@code .5}, {@code 1e10}; a decimal comma is text; leading zeros before digits are text. */
    static boolean isReal(String v) {
        int i = 0;
        int n = v.length();
        if (v.charAt(0) == '-' || v.charAt(0) == '+') {
            i++;
        }
        int intDigits = 0;
        int start = i;
        while (i < n && Character.isDigit(v.charAt(i))) {
            i++;
            intDigits++;
        }
        if (intDigits > 1 && v.charAt(start) == '0') {
            return false;
        }
        int fracDigits = 0;
        if (i < n && v.charAt(i) == '.') {
            i++;
            while (i < n && Character.isDigit(v.charAt(i))) {
                i++;
                fracDigits++;
            }
        }
        if (intDigits + fracDigits == 0) {
            return false;
        }
        if (i < n && (v.charAt(i) == 'e' || v.charAt(i) == 'E')) {
            i++;
            if (i < n && (v.charAt(i) == '-' || v.charAt(i) == '+')) {
                i++;
            }
            int exp = 0;
            while (i < n && Character.isDigit(v.charAt(i))) {
                i++;
                exp++;
            }
            if (exp == 0) {
                return false;
            }
        }
        return i == n;
    }

    /** 1 = ISO date (YYYY-MM-DD or YYYY/MM/DD), 2 = date and time, 0 = neither. */
    static int dateKind(String v) {
        if (v.length() < 10 || !digits(v, 0, 4) || !digits(v, 5, 7) || !digits(v, 8, 10)) {
            return 0;
        }
        char sep = v.charAt(4);
        if ((sep != '-' && sep != '/') || v.charAt(7) != sep) {
            return 0;
        }
        int month = Integer.parseInt(v.substring(5, 7));
        int day = Integer.parseInt(v.substring(8, 10));
        if (month < 1 || month > 12 || day < 1 || day > 31) {
            return 0;
        }
        if (v.length() == 10) {
            return 1;
        }
        String rest = v.substring(10);
        return rest.matches("[ T]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,6})?)?(Z|[+-]\\d{2}(:?\\d{2})?)?") ? 2 : 0;
    }

    private static boolean digits(String v, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!Character.isDigit(v.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
