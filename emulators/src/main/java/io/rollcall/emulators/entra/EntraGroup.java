package io.rollcall.emulators.entra;

import java.util.List;
import java.util.Objects;

/**
 * A security group of an emulated tenant. {@code memberIds} are the direct members (users and groups) in
 * the order they were added.
 */
public record EntraGroup(String id, String displayName, String description, String mailNickname,
        List<String> memberIds) {

    public EntraGroup {
        Objects.requireNonNull(id, "id cannot be null");
        memberIds = List.copyOf(memberIds);
    }
}
