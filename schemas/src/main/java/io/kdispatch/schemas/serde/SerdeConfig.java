package io.kdispatch.schemas.serde;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Settings of the registry-backed Avro serdes, validated once when the record is built.
 *
 * <p>Use {@link #of(String)} for the defaults, {@link #fromMap(Map)} on the Kafka
 * {@code configure(Map, boolean)} path, and {@link #toMap()} to hand the settings back to Kafka
 * (for example as Streams properties).
 *
 * @param registryUrl base URL of a registry speaking the Confluent REST protocol, e.g.
 *     {@code http://localhost:8081} or {@code http://apicurio:8080/apis/ccompat/v7}; or
 *     {@code mock://<scope>} for the in-JVM {@link InMemorySchemaRegistryClient}. Required; one URL
 *     only; a trailing slash is removed.
 * @param basicAuthUserInfo {@code user:password} for HTTP basic auth, or {@code null}
 * @param bearerToken a bearer token, or {@code null}; not together with basic auth
 * @param autoRegister when {@code true} (the default) serializers register the record's schema;
 *     when {@code false} they only look it up and fail when it is not registered
 * @param providerClass fully qualified name of a {@link SerdeProvider} with a public no-arg
 *     constructor that {@link AvroSerdes} uses instead of {@link RegistryAvroSerde}, or {@code null}
 * @param requestTimeout how long the registry may take to answer one request (it bounds each
 *     wait for the answer's bytes; connecting has its own timeout); {@code null} means the default
 *     of 10 s
 * @param retryTimeout how long a serializer or deserializer keeps retrying, with backoff, a registry
 *     request that failed in a way retrying may cure (no answer, HTTP 408, 429 or 5xx: the registry is
 *     restarting or away) before it gives up with that failure; answers already cached never wait.
 *     {@link Duration#ZERO} fails at once; {@code null} means the default of 30 s
 */
public record SerdeConfig(
        String registryUrl,
        String basicAuthUserInfo,
        String bearerToken,
        boolean autoRegister,
        String providerClass,
        Duration requestTimeout,
        Duration retryTimeout) {

    /** Base URL of the registry, or {@code mock://<scope>}. */
    public static final String REGISTRY_URL = "schema.registry.url";
    /** {@code user:password} for basic auth. */
    public static final String BASIC_AUTH_USER_INFO = "schema.registry.basic.auth.user.info";
    /** Bearer token. */
    public static final String BEARER_AUTH_TOKEN = "schema.registry.bearer.auth.token";
    /** {@code true}/{@code false}: register schemas on first use (default {@code true}). */
    public static final String AUTO_REGISTER = "auto.register.schemas";
    /** Class name of a {@link SerdeProvider}. */
    public static final String PROVIDER_CLASS = "kdispatch.serde.provider";
    /** Registry request timeout in milliseconds (default 10000). */
    public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
    /** How long retriable registry failures are retried, in milliseconds (default 30000; 0: never). */
    public static final String RETRY_TIMEOUT_MS = "schema.registry.retry.timeout.ms";

    /** Default for {@link #requestTimeout()}. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** Default for {@link #retryTimeout()}: a registry restart (seconds) is waited out, not reported. */
    public static final Duration DEFAULT_RETRY_TIMEOUT = Duration.ofSeconds(30);
    /** URL scheme selecting the in-memory registry. */
    public static final String MOCK_SCHEME = "mock";

    public SerdeConfig {
        registryUrl = validateUrl(registryUrl);
        basicAuthUserInfo = emptyToNull(basicAuthUserInfo);
        bearerToken = emptyToNull(bearerToken);
        providerClass = emptyToNull(providerClass);
        if (basicAuthUserInfo != null && basicAuthUserInfo.indexOf(':') < 1) {
            throw new IllegalArgumentException(BASIC_AUTH_USER_INFO
                    + " must have the form 'user:password' (the user name must not be empty)");
        }
        if (basicAuthUserInfo != null && bearerToken != null) {
            throw new IllegalArgumentException("set either " + BASIC_AUTH_USER_INFO + " or "
                    + BEARER_AUTH_TOKEN + ", not both: the registry accepts one Authorization header");
        }
        if (requestTimeout == null) {
            requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException(REQUEST_TIMEOUT_MS + " must be positive, got "
                    + requestTimeout.toMillis() + " ms");
        }
        if (retryTimeout == null) {
            retryTimeout = DEFAULT_RETRY_TIMEOUT;
        }
        if (retryTimeout.isNegative()) {
            throw new IllegalArgumentException(RETRY_TIMEOUT_MS + " must be 0 (fail at once) or positive, got "
                    + retryTimeout.toMillis() + " ms");
        }
    }

    /** The settings with the default {@link #retryTimeout()}. */
    public SerdeConfig(String registryUrl, String basicAuthUserInfo, String bearerToken, boolean autoRegister,
                       String providerClass, Duration requestTimeout) {
        this(registryUrl, basicAuthUserInfo, bearerToken, autoRegister, providerClass, requestTimeout, null);
    }

    /** A copy with the given {@link #retryTimeout()} ({@code null}: the default). */
    public SerdeConfig withRetryTimeout(Duration newRetryTimeout) {
        return new SerdeConfig(registryUrl, basicAuthUserInfo, bearerToken, autoRegister, providerClass,
                requestTimeout, newRetryTimeout);
    }

    /** The given registry with every other setting at its default (auto-register on, no auth). */
    public static SerdeConfig of(String registryUrl) {
        return new SerdeConfig(registryUrl, null, null, true, null, DEFAULT_REQUEST_TIMEOUT, DEFAULT_RETRY_TIMEOUT);
    }

    /**
     * Reads the keys named by the constants of this class; other keys are ignored, so the whole
     * Kafka client or Streams configuration can be passed. Values may be strings or typed values
     * ({@link Boolean}, {@link Number}).
     *
     * @throws IllegalArgumentException naming the key whose value is missing or unusable
     */
    public static SerdeConfig fromMap(Map<String, ?> map) {
        Object url = map.get(REGISTRY_URL);
        if (url == null) {
            throw new IllegalArgumentException(REGISTRY_URL
                    + " is required (e.g. http://localhost:8081, or mock://<scope> in tests)");
        }
        return new SerdeConfig(
                url.toString(),
                string(map, BASIC_AUTH_USER_INFO),
                string(map, BEARER_AUTH_TOKEN),
                bool(map, AUTO_REGISTER, true),
                string(map, PROVIDER_CLASS),
                millis(map, REQUEST_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT),
                millis(map, RETRY_TIMEOUT_MS, DEFAULT_RETRY_TIMEOUT));
    }

    /** The settings under the keys {@link #fromMap(Map)} reads; unset optional values are left out. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(REGISTRY_URL, registryUrl);
        putIfSet(map, BASIC_AUTH_USER_INFO, basicAuthUserInfo);
        putIfSet(map, BEARER_AUTH_TOKEN, bearerToken);
        map.put(AUTO_REGISTER, autoRegister);
        putIfSet(map, PROVIDER_CLASS, providerClass);
        map.put(REQUEST_TIMEOUT_MS, requestTimeout.toMillis());
        map.put(RETRY_TIMEOUT_MS, retryTimeout.toMillis());
        return map;
    }

    /** True when the URL selects the in-memory registry ({@code mock://<scope>}). */
    public boolean isMock() {
        return registryUrl.startsWith(MOCK_SCHEME + "://");
    }

    /** The scope of a {@code mock://<scope>} URL. */
    public String mockScope() {
        if (!isMock()) {
            throw new IllegalStateException("not a mock:// registry URL: " + registryUrl);
        }
        return registryUrl.substring(MOCK_SCHEME.length() + 3);
    }

    /** Like the generated one, but secrets are masked so the config can be logged. */
    @Override
    public String toString() {
        return "SerdeConfig[registryUrl=" + registryUrl
                + ", basicAuthUserInfo=" + (basicAuthUserInfo == null ? null : maskUserInfo(basicAuthUserInfo))
                + ", bearerToken=" + (bearerToken == null ? null : "***")
                + ", autoRegister=" + autoRegister
                + ", providerClass=" + providerClass
                + ", requestTimeout=" + requestTimeout
                + ", retryTimeout=" + retryTimeout + "]";
    }

    private static String validateUrl(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException(REGISTRY_URL
                    + " is required (e.g. http://localhost:8081, or mock://<scope> in tests)");
        }
        String trimmed = url.strip();
        while (trimmed.endsWith("/") && !trimmed.endsWith("://")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        if (trimmed.contains(",")) {
            throw new IllegalArgumentException(REGISTRY_URL + " '" + url
                    + "' lists several URLs; only one is supported (put a load balancer in front)");
        }
        String scheme = schemeOf(trimmed);
        if (scheme.equals(MOCK_SCHEME)) {
            if (trimmed.length() <= MOCK_SCHEME.length() + 3) {
                throw new IllegalArgumentException(REGISTRY_URL + " '" + url
                        + "' needs a scope name: mock://<scope>");
            }
            return trimmed;
        }
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException(REGISTRY_URL + " '" + url + "' has scheme '" + scheme
                    + "'; use http://, https:// or mock://<scope>");
        }
        return validateHttpUrl(url, trimmed);
    }

    private static String validateHttpUrl(String original, String trimmed) {
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(REGISTRY_URL + " '" + original + "' is not a valid URL: "
                    + e.getMessage(), e);
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(REGISTRY_URL + " '" + original
                    + "' has no host name; expected e.g. http://localhost:8081");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(REGISTRY_URL + " must not contain credentials; put them in "
                    + BASIC_AUTH_USER_INFO + " as 'user:password'");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(REGISTRY_URL + " '" + original
                    + "' must be a base URL without query or fragment");
        }
        return trimmed;
    }

    private static String schemeOf(String url) {
        int colon = url.indexOf("://");
        if (colon <= 0) {
            throw new IllegalArgumentException(REGISTRY_URL + " '" + url
                    + "' has no scheme; use http://, https:// or mock://<scope>");
        }
        return url.substring(0, colon).toLowerCase(Locale.ROOT);
    }

    private static String maskUserInfo(String userInfo) {
        return userInfo.substring(0, userInfo.indexOf(':')) + ":***";
    }

    private static String emptyToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static void putIfSet(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private static String string(Map<String, ?> map, String key) {
        Object value = map.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof org.apache.kafka.common.config.types.Password password) {
            return password.value();
        }
        return value.toString();
    }

    private static boolean bool(Map<String, ?> map, String key, boolean defaultValue) {
        Object value = map.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        String text = value.toString().strip().toLowerCase(Locale.ROOT);
        if (text.equals("true") || text.equals("false")) {
            return Boolean.parseBoolean(text);
        }
        throw new IllegalArgumentException(key + " must be true or false, got '" + value + "'");
    }

    private static Duration millis(Map<String, ?> map, String key, Duration defaultValue) {
        Object value = map.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Duration d) {
            return d;
        }
        try {
            long ms = value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().strip());
            return Duration.ofMillis(ms);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number of milliseconds, got '" + value + "'", e);
        }
    }
}
