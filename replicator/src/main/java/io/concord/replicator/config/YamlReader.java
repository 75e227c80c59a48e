package io.concord.replicator.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Reads YAML into {@link ConfigNode}s that remember their key path and line. Jackson's tree
 * model drops locations, so this walks the token stream itself. Scalars stay text: each config
 * key decides how to read its value, so that an error can say what was expected.
 */
final class YamlReader {

    private static final YAMLFactory YAML = new YAMLFactory();

    private YamlReader() {
    }

    /** Parses a document; a syntax error is reported with its line. */
    static ConfigNode read(String yaml) throws InvalidConfigException {
        try (JsonParser parser = YAML.createParser(yaml)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return ConfigNode.mapping("", 1, new LinkedHashMap<>());
            }
            return node(parser, "");
        } catch (IOException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            int line = e instanceof com.fasterxml.jackson.core.JsonProcessingException processing
                    && processing.getLocation() != null ? processing.getLocation().getLineNr() : 0;
            throw new InvalidConfigException(List.of(ConfigError.missing("", line, "valid YAML: " + message)));
        }
    }

    private static ConfigNode node(JsonParser parser, String path) throws IOException {
        int line = parser.currentTokenLocation().getLineNr();
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            LinkedHashMap<String, ConfigNode> entries = new LinkedHashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                parser.nextToken();
                entries.put(key, node(parser, path.isEmpty() ? key : path + "." + key));
            }
            return ConfigNode.mapping(path, line, entries);
        }
        if (token == JsonToken.START_ARRAY) {
            List<ConfigNode> items = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                items.add(node(parser, path + "[" + items.size() + "]"));
            }
            return ConfigNode.sequence(path, line, items);
        }
        return ConfigNode.scalar(path, line, token == JsonToken.VALUE_NULL ? null : parser.getText());
    }
}
