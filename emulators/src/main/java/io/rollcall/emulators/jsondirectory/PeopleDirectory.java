package io.rollcall.emulators.jsondirectory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.UnaryOperator;

/**
 * The people an HR system lists, ordered by id so that a page's cursor (the last id it sent) stays right while people
 * come and go between two pages. Safe to change while the endpoint serves pages.
 */
public final class PeopleDirectory {

    private static final String[] GIVEN = { "Ada", "Brian", "Chiara", "Dmitri", "Elif", "Farah", "Goran", "Hana",
            "Ines", "Jonas", "Kwame", "Lena", "Mateo", "Nadia", "Oskar", "Priya" };
    private static final String[] FAMILY = { "Okafor", "Lindqvist", "Moreau", "Tanaka", "Novak", "Haddad", "Silva",
            "Kowalski", "Brennan", "Ivanova", "Mensah", "Larsen" };
    private static final String[] DEPARTMENTS = { "Engineering", "Finance", "Sales", "People", "Operations",
            "Legal", "Marketing", "Support" };

    private final NavigableMap<String, DirectoryPerson> people = new ConcurrentSkipListMap<>();

    /**
     * Replaces everyone with {@code count} generated people in {@code departments} departments, e-mails at
     * {@code domain}: the first of each department is its head, reporting to person 1; everyone else reports to their
     * department's head. Ids are {@code e-0001}, {@code e-0002}, ... so that they sort as they were made.
     *
     * @return the people, in id order
     */
    public List<DirectoryPerson> generate(int count, int departments, String domain, long seed) {
        if (count < 1 || departments < 1) {
            throw new IllegalArgumentException("count and departments must be positive");
        }
        Random random = new Random(seed);
        this.people.clear();
        String[] heads = new String[departments];
        for (int i = 1; i <= count; i++) {
            String id = String.format("e-%04d", i);
            int department = (i - 1) % departments;
            String given = GIVEN[random.nextInt(GIVEN.length)];
            String family = FAMILY[random.nextInt(FAMILY.length)];
            String manager = heads[department] == null ? (i == 1 ? null : "e-0001") : heads[department];
            if (heads[department] == null) {
                heads[department] = id;
            }
            String name = DEPARTMENTS[department % DEPARTMENTS.length]
                    + (department >= DEPARTMENTS.length ? " " + (department / DEPARTMENTS.length + 1) : "");
            put(new DirectoryPerson(id, (given + "." + family + i + "@" + domain).toLowerCase(java.util.Locale.ROOT),
                    given, family, given + " " + family, name, manager == null ? "Chief Executive" : "Specialist",
                    manager, true, null));
        }
        return list();
    }

    /** Adds the person, or replaces whoever has their id. */
    public DirectoryPerson put(DirectoryPerson person) {
        this.people.put(person.id(), person);
        return person;
    }

    /** Changes the person with {@code id}. */
    public DirectoryPerson update(String id, UnaryOperator<DirectoryPerson> change) {
        DirectoryPerson changed = this.people.computeIfPresent(id, (key, person) -> change.apply(person));
        if (changed == null) {
            throw new NoSuchElementException("No person " + id);
        }
        return changed;
    }

    /** Takes the person off the list: the endpoint no longer lists them. */
    public void remove(String id) {
        if (this.people.remove(id) == null) {
            throw new NoSuchElementException("No person " + id);
        }
    }

    public Optional<DirectoryPerson> person(String id) {
        return Optional.ofNullable(this.people.get(id));
    }

    /** Everyone, in id order. */
    public List<DirectoryPerson> list() {
        return List.copyOf(this.people.values());
    }

    public int size() {
        return this.people.size();
    }

    /** Up to {@code limit} people after the id {@code after} (null: from the first), in id order. */
    List<DirectoryPerson> page(String after, int limit) {
        Map<String, DirectoryPerson> rest = after == null ? this.people : this.people.tailMap(after, false);
        List<DirectoryPerson> page = new ArrayList<>(Math.min(limit, 1024));
        for (DirectoryPerson person : rest.values()) {
            if (page.size() == limit) {
                break;
            }
            page.add(person);
        }
        return page;
    }

    /** Whether someone comes after the id {@code after}. */
    boolean anyAfter(String after) {
        return this.people.higherKey(after) != null;
    }

}
