package org.lsst.ts.upgrade.site;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.deser.std.FromStringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.stream.Collectors;

/** Reads one site file strictly (unknown keys are errors), fills defaults and validates it. */
final class SiteFileReader {

  private static final ObjectMapper YAML = JsonMapper.builder(new YAMLFactory())
      .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
      .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
      .addModule(new SimpleModule().addDeserializer(CscId.class, new CscIdDeserializer()))
      .build();

  private SiteFileReader() {}

  /** @param file how the file is named in messages (a path or classpath location) */
  static Site read(String file, InputStream in, String expectedId) {
    Site raw;
    try {
      raw = YAML.readValue(in, Site.class);
    } catch (UnrecognizedPropertyException e) {
      String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream()
          .map(Object::toString).sorted().collect(Collectors.joining(", "));
      String where = e.getPath().size() <= 1 ? "(top level)"
          : path(e).substring(0, path(e).length() - String.valueOf(e.getPropertyName()).length() - 1);
      throw new SiteConfigurationException(file, List.of(where + ": unknown key '" + e.getPropertyName()
          + "'" + (known.isEmpty() ? "" : " (known keys: " + known + ")")));
    } catch (InvalidFormatException e) {
      throw new SiteConfigurationException(file, List.of(path(e) + ": " + invalidValue(e) + location(e)));
    } catch (JsonMappingException e) {
      throw new SiteConfigurationException(file, List.of(path(e) + ": " + e.getOriginalMessage()
          + location(e)));
    } catch (JsonProcessingException e) {
      throw new SiteConfigurationException(file, List.of("not valid YAML: " + e.getOriginalMessage() + location(e)));
    } catch (IOException e) {
      throw new SiteConfigurationException(file, List.of("cannot be read: " + e.getMessage()));
    }
    if (raw == null) {
      throw new SiteConfigurationException(file, List.of("the file is empty"));
    }
    Site site = SiteDefaults.apply(raw);
    List<String> problems = SiteValidator.validate(site, expectedId);
    if (!problems.isEmpty()) {
      throw new SiteConfigurationException(file, problems);
    }
    return site;
  }

  /** The value's own problem (e.g. CscId's), not Jackson's wording about types and deserializers. */
  private static String invalidValue(InvalidFormatException e) {
    Class<?> type = e.getTargetType();
    if (type != null && type.isEnum()) {
      String allowed = java.util.Arrays.stream(type.getEnumConstants()).map(Object::toString)
          .collect(Collectors.joining(", "));
      return "'" + e.getValue() + "' is not one of " + allowed;
    }
    Throwable cause = e.getCause();
    return cause != null && cause.getMessage() != null ? cause.getMessage() : e.getOriginalMessage();
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
  }

  /** Renders Jackson's reference path in the file's own kebab-case form, e.g. {@code cscs[3].behaviour}. */
  static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        if (!sb.isEmpty()) {
          sb.append('.');
        }
        sb.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.isEmpty() ? "(top level)" : sb.toString();
  }

  private static final class CscIdDeserializer extends FromStringDeserializer<CscId> {
    CscIdDeserializer() {
      super(CscId.class);
    }

    @Override
    protected CscId _deserialize(String value, com.fasterxml.jackson.databind.DeserializationContext ctxt) {
      return CscId.parse(value);
    }
  }
}
