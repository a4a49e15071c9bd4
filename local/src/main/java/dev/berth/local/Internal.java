package dev.berth.local;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a package, type or member as Berth's own plumbing, public only because another
 * Berth module uses it: it may change or vanish in any release, without notice. Every
 * {@code .internal} package of every Berth module carries it (on its {@code package-info}),
 * as grpc-java marks its own with {@code io.grpc.Internal}. Do not use what it marks.
 * Kept at run time so that a test can tell it apart from the frozen surface (the client's
 * {@code PublicSurfaceTest}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PACKAGE, ElementType.TYPE, ElementType.METHOD, ElementType.FIELD, ElementType.CONSTRUCTOR})
public @interface Internal {}
