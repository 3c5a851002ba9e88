package io.comet.core.broker;

import io.comet.core.store.MemoryStore;

/** The broker contract on {@link LocalBroker}: two nodes on one in-process hub (one per test). */
class LocalBrokerContractTest extends BrokerContractTest {

    private LocalBroker.Hub hub;

    @Override
    protected Broker newNode() {
        if (hub == null) {
            hub = new LocalBroker.Hub(new MemoryStore());
        }
        return new LocalBroker(hub);
    }
}
