package io.rollcall.emulators.entra;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A user of an emulated tenant as Graph would return it (property names are Graph's). Immutable: the
 * tenant replaces the record on every change, so a read-back is a consistent snapshot.
 *
 * @param employeeHireDate midnight UTC of the hire day, or {@code null}
 * @param managerId the manager's object id, or {@code null}
 * @param hasPhoto whether {@code /users/{id}/photo/$value} answers 200
 * @param deletedDateTime set while the user is soft-deleted (restorable), else {@code null}
 */
public record EntraUser(
        String id,
        String userPrincipalName,
        String displayName,
        String givenName,
        String surname,
        String mail,
        String jobTitle,
        String department,
        String officeLocation,
        String preferredLanguage,
        String employeeId,
        Instant employeeHireDate,
        String companyName,
        String mobilePhone,
        List<String> businessPhones,
        boolean accountEnabled,
        String managerId,
        boolean hasPhoto,
        Instant deletedDateTime) {

    public EntraUser {
        Objects.requireNonNull(id, "id cannot be null");
        Objects.requireNonNull(userPrincipalName, "userPrincipalName cannot be null");
        businessPhones = businessPhones == null ? List.of() : List.copyOf(businessPhones);
    }

    /** Whether the user is soft-deleted (gone from lists and groups until restored). */
    public boolean deleted() {
        return this.deletedDateTime != null;
    }

    EntraUser withManager(String newManagerId) {
        return new EntraUser(this.id, this.userPrincipalName, this.displayName, this.givenName, this.surname, this.mail,
                this.jobTitle, this.department, this.officeLocation, this.preferredLanguage, this.employeeId,
                this.employeeHireDate, this.companyName, this.mobilePhone, this.businessPhones, this.accountEnabled,
                newManagerId, this.hasPhoto, this.deletedDateTime);
    }

    EntraUser withPhoto(boolean photo) {
        return new EntraUser(this.id, this.userPrincipalName, this.displayName, this.givenName, this.surname, this.mail,
                this.jobTitle, this.department, this.officeLocation, this.preferredLanguage, this.employeeId,
                this.employeeHireDate, this.companyName, this.mobilePhone, this.businessPhones, this.accountEnabled,
                this.managerId, photo, this.deletedDateTime);
    }

    EntraUser withDeleted(Instant when) {
        return new EntraUser(this.id, this.userPrincipalName, this.displayName, this.givenName, this.surname, this.mail,
                this.jobTitle, this.department, this.officeLocation, this.preferredLanguage, this.employeeId,
                this.employeeHireDate, this.companyName, this.mobilePhone, this.businessPhones, this.accountEnabled,
                this.managerId, this.hasPhoto, when);
    }
}
