package ddpo4j.rewards;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code java:class=com.example.MyReward,key=value,...} reward: a user's {@link Reward} class
 * found on the class path, built with its {@code (Map<String, String>)} constructor (receiving the
 * other options) or, when it takes no options, its public no-arg constructor.
 */
public final class JavaClassReward {
    public static final String NAME = "java";

    private JavaClassReward() {}

    public static RewardFactory factory() {
        return new RewardFactory() {
            @Override
            public Set<String> keys() {
                return Set.of("class");
            }

            @Override
            public boolean acceptsAnyKey() {
                return true; // every option but 'class' belongs to the user's class
            }

            @Override
            public Reward create(RewardOptions options) {
                return JavaClassReward.create(options);
            }
        };
    }

    static Reward create(RewardOptions o) {
        String className = o.string("class");
        Map<String, String> rest = new LinkedHashMap<>(o.asMap());
        rest.remove("class");
        Class<?> type;
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            type = Class.forName(className, true, loader != null ? loader : JavaClassReward.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw o.error("class " + className + " is not on the class path (" + e + ")");
        }
        if (!Reward.class.isAssignableFrom(type)) {
            throw o.error("class " + className + " does not implement " + Reward.class.getName());
        }
        Constructor<?> withOptions = constructor(type, Map.class);
        Constructor<?> plain = constructor(type);
        try {
            if (withOptions != null) {
                return (Reward) withOptions.newInstance(Map.copyOf(rest));
            }
            if (plain == null) {
                throw o.error("class " + className
                        + " needs a public constructor taking no arguments or a Map<String, String> of options");
            }
            if (!rest.isEmpty()) {
                throw o.error("class " + className + " has no constructor taking a Map<String, String>, so it takes"
                        + " no options, but got " + rest.keySet());
            }
            return (Reward) plain.newInstance();
        } catch (InvocationTargetException e) {
            throw o.error("constructing " + className + " failed: " + e.getCause());
        } catch (ReflectiveOperationException e) {
            throw o.error("cannot construct " + className + ": " + e);
        }
    }

    private static Constructor<?> constructor(Class<?> type, Class<?>... params) {
        try {
            return type.getConstructor(params);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
