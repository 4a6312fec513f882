package io.rollcall.emulators.okta;

import java.util.List;

/**
 * What a generation made: the app's id, every user id in creation order, the assigned ones (only those are
 * synced), the suspended ones and the department names.
 */
public record GeneratedOrg(String appId, List<String> userIds, List<String> assignedUserIds,
        List<String> suspendedUserIds,
        List<String> departments) {

    public GeneratedOrg {
        userIds = List.copyOf(userIds);
        assignedUserIds = List.copyOf(assignedUserIds);
        suspendedUserIds = List.copyOf(suspendedUserIds);
        departments = List.copyOf(departments);
    }
}
