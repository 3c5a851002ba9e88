package io.comet.test;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The life cycle of the kit's extensions (Armeria's ServerExtension): registered in a
 * {@code static} field, one instance for the whole class (started before all, stopped after
 * all); in an instance field, JUnit calls only the per-test callbacks, so one per test. After
 * each test that passed, the subclass checks what the test left behind.
 */
abstract class ClassOrTestLifecycle implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {

    private boolean perClass;

    abstract boolean running();

    abstract void start();

    abstract void stop();

    /** Closes the test's clients; when {@code passed}, fails if something was left behind. */
    abstract void afterTest(boolean passed);

    @Override
    public void beforeAll(ExtensionContext context) {
        perClass = true;
        start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!running()) {
            start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            afterTest(context.getExecutionException().isEmpty());
        } finally {
            if (!perClass) {
                stop();
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }
}
