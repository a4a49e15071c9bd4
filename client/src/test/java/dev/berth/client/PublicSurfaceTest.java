package dev.berth.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.local.Internal;
import java.io.IOException;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Guards the frozen surface listed in {@code package-info.java}: no public or protected
 * signature of {@code dev.berth.client} (parameters, return types, fields, supertypes,
 * exceptions, generic arguments) names a generated protobuf or gRPC type, a gRPC stub, the
 * Prometheus registry or an {@code .internal} class. Types and members marked
 * {@link Internal} are exempt: they are Berth's own plumbing.
 */
class PublicSurfaceTest {
  private static final List<String> FORBIDDEN_PACKAGES = List.of("dev.berth.proto", "io.grpc.stub",
      "io.micrometer.prometheusmetrics", "dev.berth.client.internal");

  @Test
  void publicSignatures_nameNoGeneratedStubMeterRegistryImplementationOrInternalType() throws Exception {
    List<Class<?>> surface = publicClasses();
    assertThat(surface).contains(Berth.class, Berth.Builder.class, Lease.Builder.class, Address.class);

    List<String> leaks = new ArrayList<>();
    for (Class<?> type : surface) {
      if (!type.isAnnotationPresent(Internal.class)) {
        leaks.addAll(leaks(type));
      }
    }
    assertThat(leaks).isEmpty();
  }

  @Test
  void guard_seesALeak_whereAnInternalClassHasOne() {
    // InternalBerth is exempt only for its marker: the walk itself must see its stub
    assertThat(InternalBerth.class.isAnnotationPresent(Internal.class)).isTrue();
    assertThat(leaks(InternalBerth.class)).containsExactly("dev.berth.client.InternalBerth.registryStub"
        + " names dev.berth.proto.v1.RegistryGrpc$RegistryBlockingStub");
  }

  /** Every public class of the package, nested ones included, read from its class directory. */
  private static List<Class<?>> publicClasses() throws IOException, URISyntaxException, ClassNotFoundException {
    URL dir = Berth.class.getResource("Berth.class");
    assertThat(dir).as("dev.berth.client read from a directory").hasProtocol("file");
    List<Class<?>> classes = new ArrayList<>();
    try (Stream<Path> files = Files.list(Path.of(dir.toURI()).getParent())) {
      for (Path file : (Iterable<Path>) files.sorted()::iterator) {
        String name = file.getFileName().toString();
        if (name.endsWith(".class") && !name.equals("package-info.class")) {
          Class<?> type = Class.forName("dev.berth.client." + name.substring(0, name.length() - 6), false,
              Berth.class.getClassLoader());
          if (isVisible(type)) {
            classes.add(type);
          }
        }
      }
    }
    return classes;
  }

  /** Public, and so is every class it is nested in (an anonymous or local class is not). */
  private static boolean isVisible(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getDeclaringClass()) {
      if (!Modifier.isPublic(c.getModifiers()) || c.isAnonymousClass() || c.isLocalClass()) {
        return false;
      }
    }
    return true;
  }

  /** "Owner.member names forbidden.Type" for each public or protected signature that leaks. */
  private static List<String> leaks(Class<?> type) {
    Set<String> found = new TreeSet<>();
    String owner = type.getName();
    check(owner + " extends", type.getGenericSuperclass(), found);
    for (Type t : type.getGenericInterfaces()) {
      check(owner + " implements", t, found);
    }
    for (TypeVariable<?> v : type.getTypeParameters()) {
      check(owner + "<" + v.getName() + ">", v, found);
    }
    for (Constructor<?> c : type.getDeclaredConstructors()) {
      if (exposed(c)) {
        checkExecutable(owner + ".<init>", c, found);
      }
    }
    for (Method m : type.getDeclaredMethods()) {
      if (exposed(m) && !m.isBridge()) {
        check(owner + "." + m.getName(), m.getGenericReturnType(), found);
        checkExecutable(owner + "." + m.getName(), m, found);
      }
    }
    for (Field f : type.getDeclaredFields()) {
      if (exposed(f)) {
        check(owner + "." + f.getName(), f.getGenericType(), found);
      }
    }
    return new ArrayList<>(found);
  }

  private static <T extends Member & AnnotatedElement> boolean exposed(T member) {
    int modifiers = member.getModifiers();
    return (Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers)) && !member.isSynthetic()
        && !member.isAnnotationPresent(Internal.class);
  }

  private static void checkExecutable(String where, Executable e, Set<String> found) {
    for (Type t : e.getGenericParameterTypes()) {
      check(where, t, found);
    }
    for (Type t : e.getGenericExceptionTypes()) {
      check(where, t, found);
    }
    for (TypeVariable<?> v : e.getTypeParameters()) {
      check(where, v, found);
    }
  }

  private static void check(String where, Type type, Set<String> found) {
    walk(type, new HashSet<>(), c -> found.add(where + " names " + c.getName()));
  }

  /** Calls {@code leak} for each forbidden class {@code type} mentions, generic arguments included. */
  private static void walk(Type type, Set<TypeVariable<?>> seen, java.util.function.Consumer<Class<?>> leak) {
    if (type instanceof Class<?> c) {
      Class<?> element = c;
      while (element.isArray()) {
        element = element.getComponentType();
      }
      if (isForbidden(element)) {
        leak.accept(element);
      }
    } else if (type instanceof ParameterizedType p) {
      walk(p.getRawType(), seen, leak);
      if (p.getOwnerType() != null) {
        walk(p.getOwnerType(), seen, leak);
      }
      for (Type argument : p.getActualTypeArguments()) {
        walk(argument, seen, leak);
      }
    } else if (type instanceof WildcardType w) {
      for (Type bound : w.getUpperBounds()) {
        walk(bound, seen, leak);
      }
      for (Type bound : w.getLowerBounds()) {
        walk(bound, seen, leak);
      }
    } else if (type instanceof TypeVariable<?> v) {
      if (seen.add(v)) { // <T extends Comparable<T>> refers to itself
        for (Type bound : v.getBounds()) {
          walk(bound, seen, leak);
        }
      }
    } else if (type instanceof GenericArrayType a) {
      walk(a.getGenericComponentType(), seen, leak);
    }
  }

  private static boolean isForbidden(Class<?> type) {
    if (type.isPrimitive()) {
      return false;
    }
    String name = type.getName();
    for (String forbidden : FORBIDDEN_PACKAGES) {
      if (name.startsWith(forbidden + ".")) {
        return true;
      }
    }
    return isGenerated(type);
  }

  /**
   * Code protoc made, in any package ({@code io.grpc.health.v1.HealthGrpc} too): a message, an
   * enum, or a member of a gRPC service class. {@code @GrpcGenerated} is not kept at run time,
   * so a service class is known by what protoc-gen-grpc-java always gives it.
   */
  private static boolean isGenerated(Class<?> type) {
    if (com.google.protobuf.MessageLiteOrBuilder.class.isAssignableFrom(type)
        || com.google.protobuf.ProtocolMessageEnum.class.isAssignableFrom(type)) {
      return true;
    }
    Class<?> outer = type;
    while (outer.getDeclaringClass() != null) {
      outer = outer.getDeclaringClass();
    }
    try {
      outer.getDeclaredField("SERVICE_NAME");
      return outer.getDeclaredMethod("getServiceDescriptor").getReturnType() == io.grpc.ServiceDescriptor.class;
    } catch (NoSuchFieldException | NoSuchMethodException e) {
      return false;
    }
  }
}
