package io.kdispatch.schemas.serde;

import java.lang.reflect.InvocationTargetException;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * The entry point for kdispatch's Avro serdes. Uses the {@link SerdeProvider} named by
 * {@link SerdeConfig#providerClass()} when set, otherwise {@link RegistryAvroSerde}.
 */
public final class AvroSerdes {
    private AvroSerdes() {
    }

    /** A configured value serde for {@code type} (subject {@code <topic>-value}). */
    public static <T extends SpecificRecord> Serde<T> serde(Class<T> type, SerdeConfig config) {
        return serde(type, false, config);
    }

    /** A configured key serde for {@code type} (subject {@code <topic>-key}). */
    public static <T extends SpecificRecord> Serde<T> keySerde(Class<T> type, SerdeConfig config) {
        return serde(type, true, config);
    }

    /**
     * A configured serde for {@code type}.
     *
     * @throws IllegalArgumentException when the configured provider class is missing, is not a
     *     {@link SerdeProvider}, has no public no-arg constructor, or returns {@code null}
     */
    public static <T extends SpecificRecord> Serde<T> serde(Class<T> type, boolean isKey, SerdeConfig config) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(config, "config");
        if (config.providerClass() == null) {
            return new RegistryAvroSerde<>(type, config, isKey);
        }
        Serde<T> serde = provider(config.providerClass()).serde(type, isKey, config);
        if (serde == null) {
            throw new IllegalArgumentException(SerdeConfig.PROVIDER_CLASS + " " + config.providerClass()
                    + " returned no serde for " + type.getName());
        }
        return serde;
    }

    /** Instantiates a provider by class name, with messages saying what to fix. */
    static SerdeProvider provider(String className) {
        String key = SerdeConfig.PROVIDER_CLASS;
        Class<?> cls;
        try {
            cls = Class.forName(className, true, classLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException(key + " names class " + className
                    + ", which is not on the classpath: " + e, e);
        }
        if (!SerdeProvider.class.isAssignableFrom(cls)) {
            throw new IllegalArgumentException(key + " names class " + className + ", which does not implement "
                    + SerdeProvider.class.getName());
        }
        try {
            return (SerdeProvider) cls.getConstructor().newInstance();
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new IllegalArgumentException(key + " names class " + className
                    + ", which needs a public no-arg constructor (and must be a public, non-inner class)", e);
        } catch (InstantiationException e) {
            throw new IllegalArgumentException(key + " names class " + className
                    + ", which is abstract or an interface", e);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException(key + " names class " + className
                    + ", whose constructor failed: " + e.getCause(), e.getCause());
        }
    }

    private static ClassLoader classLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : AvroSerdes.class.getClassLoader();
    }
}
