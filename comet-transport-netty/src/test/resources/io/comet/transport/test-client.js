// test double of the bundled client
