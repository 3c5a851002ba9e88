package io.comet.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed {@code comet.ini} (cometql.md §7): {@code [section]} headers, {@code key = value}
 * lines, {@code ;} or {@code #} comments (whole line or rest of line), trimmed case-sensitive
 * keys and values, {@code []value} appends to a list key, later assignments overwrite. Each
 * value remembers its line for error messages.
 */
public final class IniFile {

    /** One value and where it came from. */
    public record Value(String text, int line) {
    }

    private final String source;
    private final Map<String, Map<String, List<Value>>> sections;

    private IniFile(String source, Map<String, Map<String, List<Value>>> sections) {
        this.source = source;
        this.sections = sections;
    }

    /**
     * Reads and parses a file.
     *
     * @param file the file
     * @return the parsed file
     * @throws java.io.IOException if the file cannot be read
     */
    public static IniFile read(Path file) throws IOException {
        return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    }

    /**
     * Parses ini text.
     *
     * @throws ConfigException on a line that is neither a section, an assignment, a comment nor blank
     * @param source the source
     * @param text the text
     * @return the parsed file
     */
    public static IniFile parse(String source, String text) {
        Map<String, Map<String, List<Value>>> sections = new LinkedHashMap<>();
        String section = "";
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = stripComment(lines[i]).trim();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("[") && !line.contains("=")) {
                if (!line.endsWith("]") || line.length() < 3) {
                    throw new ConfigException(source, lineNo, "bad section header '" + line + "'");
                }
                section = line.substring(1, line.length() - 1).trim();
                sections.computeIfAbsent(section, k -> new LinkedHashMap<>());
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException(source, lineNo, "expected 'key = value', got '" + line + "'");
            }
            String key = line.substring(0, eq).trim();
            String value = line.substring(eq + 1).trim();
            List<Value> values = sections.computeIfAbsent(section, k -> new LinkedHashMap<>())
                    .computeIfAbsent(key, k -> new ArrayList<>());
            if (value.startsWith("[]")) {
                values.add(new Value(value.substring(2).trim(), lineNo));
            } else {
                values.clear();
                values.add(new Value(value, lineNo));
            }
        }
        return new IniFile(source, sections);
    }

    private static String stripComment(String line) {
        int cut = -1;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == ';' || c == '#') {
                cut = i;
                break;
            }
        }
        return cut < 0 ? line : line.substring(0, cut);
    }

    /** {@return where the text came from} */
    public String source() {
        return source;
    }

    /** {@return section names in file order} */
    public List<String> sections() {
        return List.copyOf(sections.keySet());
    }

    /**
     * Keys of a section in file order (empty if absent).
     *
     * @param section the section
     * @return keys of a section in file order (empty if absent)
     */
    public List<String> keys(String section) {
        return List.copyOf(sections.getOrDefault(section, Map.of()).keySet());
    }

    /**
     * The last value of a key.
     *
     * @param section the section
     * @param key the key
     * @return the last value of a key
     */
    public Optional<Value> value(String section, String key) {
        List<Value> v = sections.getOrDefault(section, Map.of()).get(key);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(v.size() - 1));
    }

    /**
     * Every value of a list key.
     *
     * @param section the section
     * @param key the key
     * @return every value of a list key
     */
    public List<Value> values(String section, String key) {
        return Collections.unmodifiableList(sections.getOrDefault(section, Map.of()).getOrDefault(key, List.of()));
    }
}
