package io.rollcall.emulators.jsondirectory;

import java.util.Objects;

/**
 * One person as the people endpoint lists them: the contract's fields, written with these names. Null fields are
 * left out of the answer, as the contract allows for every field but {@code id}.
 */
public record DirectoryPerson(String id, String email, String givenName, String familyName, String displayName,
        String department, String jobTitle, String managerId, boolean active, String pictureUrl) {

    public DirectoryPerson {
        Objects.requireNonNull(id, "id cannot be null");
        if (id.isBlank()) {
            throw new IllegalArgumentException("id cannot be blank");
        }
    }

    public DirectoryPerson withJobTitle(String title) {
        return new DirectoryPerson(this.id, this.email, this.givenName, this.familyName, this.displayName,
                this.department, title, this.managerId, this.active, this.pictureUrl);
    }

    public DirectoryPerson withDepartment(String name) {
        return new DirectoryPerson(this.id, this.email, this.givenName, this.familyName, this.displayName, name,
                this.jobTitle, this.managerId, this.active, this.pictureUrl);
    }

    public DirectoryPerson withActive(boolean value) {
        return new DirectoryPerson(this.id, this.email, this.givenName, this.familyName, this.displayName,
                this.department, this.jobTitle, this.managerId, value, this.pictureUrl);
    }

}
