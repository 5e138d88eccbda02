package org.lsst.ts.upgrade.runbook.engine;

import java.lang.reflect.Field;

/**
 * Reads a protected field of an engine command. Camunda 7.24 is the last Community Edition, so
 * the commands' fields no longer move; {@code PeoplePolicyTests} fails at once if one is missing.
 */
final class Fields {
  private Fields() {}

  @SuppressWarnings("unchecked")
  static <T> T read(Object target, String name) {
    for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
      try {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return (T) f.get(target);
      } catch (NoSuchFieldException e) {
        // the superclass declares it
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException(target.getClass().getName() + " has no field '" + name + "'");
  }
}
