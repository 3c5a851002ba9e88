package io.comet.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One row of the report: a scenario step with its parameters and measured figures. */
final class Result {
    final String scenario;
    final Map<String, Object> params = new LinkedHashMap<>();
    final Map<String, Object> figures = new LinkedHashMap<>();
    final List<String> notes = new ArrayList<>();
    /** Correctness of the step (no loss, no reordering, no errors); timing never fails a run. */
    boolean ok = true;

    Result(String scenario) {
        this.scenario = scenario;
    }

    Result param(String k, Object v) {
        params.put(k, v);
        return this;
    }

    Result fig(String k, Object v) {
        figures.put(k, v);
        return this;
    }

    Result note(String n) {
        notes.add(n);
        return this;
    }

    Result fail(String why) {
        ok = false;
        notes.add("FAIL: " + why);
        return this;
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    @Override
    public String toString() {
        return scenario + " " + params + " -> " + figures + (ok ? "" : " NOT OK") + (notes.isEmpty() ? "" : " " + notes);
    }
}
