package io.kdispatch.dispatcher.config;

import static io.kdispatch.dispatcher.config.SettingType.integer;

import io.kdispatch.dispatcher.quota.QuotaLimits;
import io.kdispatch.dispatcher.quota.Rate;
import java.util.List;

/** The value types and name rules of the quota and rate settings in {@link Settings}. */
final class QuotaTypes {
    private QuotaTypes() {
    }

    /** An in-flight limit: 0 (none) to {@link QuotaLimits#MAX_LIMIT}. */
    static SettingType<Integer> limit() {
        return integer(0, QuotaLimits.MAX_LIMIT);
    }

    /** A rate, {@code <per second>[:<burst>]}, or {@code none}. */
    static SettingType<QuotaLimits.OptionalRate> rate() {
        return SettingType.parsed(QuotaLimits.OptionalRate::parse, QuotaLimits.OptionalRate::format,
                "`none`, or `<per second>[:<burst>]`: " + Rate.MIN_PER_SECOND + "–" + (long) Rate.MAX_PER_SECOND
                        + " per second, burst 1–" + QuotaLimits.MAX_LIMIT + " (default: one second's worth)",
                List.of(QuotaLimits.OptionalRate.NONE, new QuotaLimits.OptionalRate(new Rate(Rate.MIN_PER_SECOND, 1)),
                        new QuotaLimits.OptionalRate(new Rate(20, 50)),
                        new QuotaLimits.OptionalRate(new Rate(Rate.MAX_PER_SECOND, QuotaLimits.MAX_LIMIT))));
    }

    /** A quota key naming a tenant or a type, {@code <prefix><name>}: the name not blank, no control characters. */
    static <T> ControlPattern<T> pattern(String prefix, String placeholder, int maxLength, SettingType<T> type,
                                         String doc) {
        return new ControlPattern<>(prefix, placeholder, "", maxLength, n -> validName(n, maxLength),
                "1-" + maxLength + " characters, not blank, no control characters", type, doc);
    }

    private static boolean validName(String name, int maxLength) {
        return !name.isBlank() && name.length() <= maxLength && name.chars().noneMatch(Character::isISOControl);
    }
}
