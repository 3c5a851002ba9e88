package io.comet.launcher;

import java.util.ArrayList;
import java.util.List;

/** The registry of {@link IniKeys} being filled, section by section, in README order. */
final class IniKeyList {
    private final List<IniKeys.Key> keys = new ArrayList<>();

    void applied(String section, String key, String dflt, IniKeys.Level level, String meaning, IniKeys.Applier a) {
        keys.add(new IniKeys.Key(section, key, dflt, level, IniKeys.Kind.APPLIED, meaning, a));
    }

    void ignored(String section, String key, String dflt, String meaning) {
        keys.add(new IniKeys.Key(section, key, dflt, IniKeys.Level.RARE, IniKeys.Kind.IGNORED, meaning, (b, v, p) -> p.warn(
                "is accepted but has no meaning in Comet, ignored (" + meaning + ")")));
    }

    /** {@return the keys so far, unmodifiable} */
    List<IniKeys.Key> keys() {
        return List.copyOf(keys);
    }
}
