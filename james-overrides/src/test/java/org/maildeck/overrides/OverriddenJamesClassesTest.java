package org.maildeck.overrides;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

class OverriddenJamesClassesTest {

    private static final ClassLoader TEST_CLASS_PATH = OverriddenJamesClassesTest.class.getClassLoader();

    @Test
    void theListNamesEveryClassOfThisModuleThatShadowsAJamesClass() throws Exception {
        Set<String> shadowing = new TreeSet<>();
        Path classes = Path.of(OverriddenJamesClasses.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".class")).toList()) {
                String resource = classes.relativize(file).toString().replace('\\', '/');
                if (!resource.contains("$") && Collections.list(TEST_CLASS_PATH.getResources(resource)).size() > 1) {
                    shadowing.add(resource.substring(0, resource.length() - ".class".length()).replace('/', '.'));
                }
            }
        }

        assertThat(shadowing).containsExactlyInAnyOrderElementsOf(OverriddenJamesClasses.NAMES);
    }

    @Test
    void eachOverrideHasEveryPublicAndProtectedMemberOfJamesClass() throws Exception {
        for (String name : OverriddenJamesClasses.NAMES) {
            Class<?> ours = Class.forName(name, false, TEST_CLASS_PATH);
            Class<?> james = jamesOriginal(name);

            assertThat(signatures(ours)).as("members of %s", name).containsAll(signatures(james));
            assertThat(ours.getSuperclass().getName()).as("superclass of %s", name).isEqualTo(james.getSuperclass().getName());
            assertThat(ours.getInterfaces()).as("interfaces of %s", name).extracting(Class::getName)
                .containsAll(Arrays.stream(james.getInterfaces()).map(Class::getName).toList());
            assertThat(Modifier.isFinal(ours.getModifiers())).as("%s final", name).isEqualTo(Modifier.isFinal(james.getModifiers()));
        }
    }

    @Test
    void theTestClassPathLoadsEveryOverrideFromThisModule() {
        assertThat(OverriddenJamesClasses.loadedFromElsewhere(TEST_CLASS_PATH)).isEmpty();
    }

    @Test
    void aClassPathWithJamesJarsFirstIsRefusedNamingEachClassAndItsJar() throws Exception {
        List<URL> jamesFirst = new ArrayList<>();
        for (String name : OverriddenJamesClasses.NAMES) {
            jamesFirst.add(jarOf(jamesResource(name)));
        }
        jamesFirst.addAll(Arrays.asList(classPath()));
        try (URLClassLoader loader = new URLClassLoader(jamesFirst.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            Class<?> check = loader.loadClass(OverriddenJamesClasses.class.getName());
            Throwable refusal = catchCause(() -> check.getMethod("requireLoadedFromHere", ClassLoader.class).invoke(null, loader));

            assertThat(refusal).isInstanceOf(IllegalStateException.class);
            for (String name : OverriddenJamesClasses.NAMES) {
                assertThat(refusal.getMessage()).contains(name + " (from " + jarOf(jamesResource(name)) + ")");
            }
        }
    }

    private interface Call {
        void run() throws Exception;
    }

    private static Throwable catchCause(Call call) {
        try {
            call.run();
            return null;
        } catch (java.lang.reflect.InvocationTargetException e) {
            return e.getCause();
        } catch (Exception e) {
            return e;
        }
    }

    /** James's class of that name, read from James's jar, everything it refers to from the test class path. */
    private static Class<?> jamesOriginal(String name) throws IOException, ClassNotFoundException {
        URL resource = jamesResource(name);
        byte[] bytes;
        try (InputStream in = resource.openStream()) {
            bytes = in.readAllBytes();
        }
        return new ClassLoader(TEST_CLASS_PATH) {
            @Override
            protected Class<?> loadClass(String wanted, boolean resolve) throws ClassNotFoundException {
                if (wanted.equals(name)) {
                    synchronized (getClassLoadingLock(wanted)) {
                        Class<?> loaded = findLoadedClass(wanted);
                        return loaded != null ? loaded : defineClass(wanted, bytes, 0, bytes.length);
                    }
                }
                return super.loadClass(wanted, resolve);
            }
        }.loadClass(name);
    }

    /** The class file of that name that is not this module's. */
    private static URL jamesResource(String name) throws IOException {
        String resource = name.replace('.', '/') + ".class";
        return Collections.list(TEST_CLASS_PATH.getResources(resource)).stream()
            .filter(url -> "jar".equals(url.getProtocol()))
            .findFirst().orElseThrow(() -> new AssertionError("no James jar has " + resource));
    }

    private static URL jarOf(URL resourceInJar) throws IOException {
        String spec = resourceInJar.toString();
        return new URL(spec.substring("jar:".length(), spec.indexOf("!/")));
    }

    private static URL[] classPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
            .map(entry -> {
                try {
                    return Path.of(entry).toUri().toURL();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toArray(URL[]::new);
    }

    /** Public and protected constructors, methods and fields, as declared (names of types, not classes). */
    private static Set<String> signatures(Class<?> type) {
        Set<String> signatures = new TreeSet<>();
        for (Constructor<?> constructor : type.getDeclaredConstructors()) {
            if (visible(constructor.getModifiers())) {
                signatures.add("new(" + names(constructor.getParameterTypes()) + ")");
            }
        }
        for (Method method : type.getDeclaredMethods()) {
            if (visible(method.getModifiers()) && !method.isSynthetic()) {
                signatures.add(staticness(method.getModifiers()) + method.getReturnType().getName() + " " + method.getName()
                    + "(" + names(method.getParameterTypes()) + ")");
            }
        }
        for (Field field : type.getDeclaredFields()) {
            if (visible(field.getModifiers())) {
                signatures.add(staticness(field.getModifiers()) + field.getType().getName() + " " + field.getName());
            }
        }
        return signatures;
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static String staticness(int modifiers) {
        return Modifier.isStatic(modifiers) ? "static " : "";
    }

    private static String names(Class<?>[] types) {
        return Arrays.stream(types).map(Class::getName).collect(Collectors.joining(","));
    }
}
