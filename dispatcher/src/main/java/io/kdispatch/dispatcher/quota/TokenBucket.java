package io.kdispatch.dispatcher.quota;

/**
 * A token bucket on a caller's clock: it holds up to {@code capacity} tokens and gains {@code perSecond}
 * per second; a dispatch takes one. Over any span of {@code t} seconds it therefore lets through at most
 * {@code capacity + perSecond * t}. A clock that steps back refills nothing (and is then followed from
 * where it is). Not thread-safe: one stream task owns it.
 */
public final class TokenBucket {
    private final double capacity;
    private final double perMs;
    private double tokens;
    private long lastMs;

    /** A full bucket for {@code rate} at {@code nowMs}. */
    public TokenBucket(Rate rate, long nowMs) {
        this(rate, rate.burst(), nowMs);
    }

    private TokenBucket(Rate rate, double tokens, long nowMs) {
        this.capacity = rate.burst();
        this.perMs = rate.perSecond() / 1000.0;
        this.tokens = Math.min(capacity, tokens);
        this.lastMs = nowMs;
    }

    /** A bucket for another rate, keeping this one's tokens (up to the new size): a change revokes nothing. */
    public TokenBucket resized(Rate rate, long nowMs) {
        refill(nowMs);
        return new TokenBucket(rate, tokens, nowMs);
    }

    /** True when a token is there at {@code nowMs}. */
    public boolean available(long nowMs) {
        refill(nowMs);
        return tokens >= 1;
    }

    /** Takes a token (after {@link #available} said there is one). */
    public void take(long nowMs) {
        refill(nowMs);
        tokens -= 1;
    }

    /** True when the bucket is full at {@code nowMs}: forgetting it then changes nothing. */
    public boolean full(long nowMs) {
        refill(nowMs);
        return tokens >= capacity;
    }

    /** Milliseconds until a token is there, from the last refill (0 when one is). */
    public long millisToNextToken() {
        return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / perMs);
    }

    private void refill(long nowMs) {
        if (nowMs > lastMs) {
            tokens = Math.min(capacity, tokens + (nowMs - lastMs) * perMs);
        }
        lastMs = nowMs;
    }
}
