package io.comet.examples;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The seed's five chat users (victor, dimon, olga, kate, masha; password {@code qwerty}). Like
 * the seed, a fixed list stands in for a user database so that the examples stay about Comet.
 */
public final class Users {

    /** One account: login, password, Comet user id, display name. */
    public record User(String login, String password, long id, String name) {
    }

    /** Every account, in id order. */
    public static final List<User> ALL = List.of(
            new User("victor", "qwerty", 1, "Виктор"),
            new User("dimon", "qwerty", 2, "Димон"),
            new User("olga", "qwerty", 3, "Оля"),
            new User("kate", "qwerty", 4, "Катя"),
            new User("masha", "qwerty", 5, "Маша"));

    private Users() {
    }

    /**
     * The account whose login and password match.
     *
     * @param login the login
     * @param password the password
     * @return the account whose login and password match
     */
    public static Optional<User> check(String login, String password) {
        return ALL.stream().filter(u -> u.login().equals(login) && u.password().equals(password)).findFirst();
    }

    /**
     * The account with this Comet user id.
     *
     * @param id the id
     * @return the account with this Comet user id
     */
    public static Optional<User> byId(long id) {
        return ALL.stream().filter(u -> u.id() == id).findFirst();
    }

    /** {@return public data for the pages: id → display name (the seed's {@code $usersPublicData})} */
    public static Map<String, Object> publicNames() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (User u : ALL) {
            m.put(Long.toString(u.id()), u.name());
        }
        return m;
    }
}
