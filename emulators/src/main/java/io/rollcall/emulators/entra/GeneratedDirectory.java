package io.rollcall.emulators.entra;

import java.util.List;

/**
 * What {@link EntraTenant#generate(DirectorySpec)} built.
 *
 * @param topGroupId the group whose transitive members are the {@code people}
 * @param memberUserIds the users inside the top group, each once, in generation order
 * @param outsiderUserIds users of the tenant outside the top group
 * @param groupIds every group generated, top group first
 */
public record GeneratedDirectory(String topGroupId, List<String> memberUserIds, List<String> outsiderUserIds,
        List<String> groupIds) {

    public GeneratedDirectory {
        memberUserIds = List.copyOf(memberUserIds);
        outsiderUserIds = List.copyOf(outsiderUserIds);
        groupIds = List.copyOf(groupIds);
    }
}
