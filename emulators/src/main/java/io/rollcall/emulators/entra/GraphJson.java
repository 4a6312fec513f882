package io.rollcall.emulators.entra;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tools.jackson.core.JsonGenerator;

/** How Graph renders users and groups: default property sets, {@code $select}, {@code @odata.type}. */
final class GraphJson {

    /** The user properties the emulator knows, by lower-case name (Graph matches {@code $select} case-insensitively). */
    static final Map<String, String> USER_PROPERTIES = canonical("id", "accountEnabled", "businessPhones",
            "companyName",
            "department", "displayName", "employeeHireDate", "employeeId", "givenName", "jobTitle", "mail",
            "mobilePhone",
            "officeLocation", "preferredLanguage", "surname", "userPrincipalName", "deletedDateTime");

    static final Map<String, String> GROUP_PROPERTIES = canonical("id", "displayName", "description", "mailNickname",
            "securityEnabled", "mailEnabled", "groupTypes", "members");

    /** What Graph returns for a user without {@code $select}. */
    static final List<String> DEFAULT_USER = List.of("businessPhones", "displayName", "givenName", "jobTitle", "mail",
            "mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName", "id");

    static final List<String> DEFAULT_GROUP = List.of("id", "displayName", "description", "mailNickname",
            "securityEnabled",
            "mailEnabled", "groupTypes");

    private GraphJson() {
    }

    private static Map<String, String> canonical(String... names) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String name : names) {
            map.put(name.toLowerCase(Locale.ROOT), name);
        }
        return map;
    }

    /**
     * Parses {@code $select} into canonical property names; null when absent (defaults apply).
     * @param allowed the properties of the type(s) listed; unknown names get Graph's 400
     */
    static List<String> select(String raw, String typeName, Map<String, String> allowed) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        List<String> names = new java.util.ArrayList<>();
        for (String part : raw.split(",")) {
            String name = part.trim();
            if (name.isEmpty()) {
                continue;
            }
            String canonical = allowed.get(name.toLowerCase(Locale.ROOT));
            if (canonical == null) {
                throw new GraphError(400, "Request_BadRequest",
                        "Could not find a property named '" + name + "' on type '" + typeName + "'.");
            }
            if (!names.contains(canonical)) {
                names.add(canonical);
            }
        }
        return names;
    }

    static Map<String, String> userOrGroupProperties() {
        Map<String, String> both = new LinkedHashMap<>(USER_PROPERTIES);
        GROUP_PROPERTIES.forEach(both::putIfAbsent);
        return both;
    }

    static void writeUser(JsonGenerator json, EntraUser user, List<String> select, boolean withType,
            boolean expandManager) {
        writeUser(json, user, select, withType, expandManager, null);
    }

    static void writeUser(JsonGenerator json, EntraUser user, List<String> select, boolean withType,
            boolean expandManager, String context) {
        json.writeStartObject();
        if (context != null) {
            json.writeStringProperty("@odata.context", context);
        }
        if (withType) {
            json.writeStringProperty("@odata.type", "#microsoft.graph.user");
        }
        List<String> properties = select == null ? DEFAULT_USER : select;
        if (select != null && !properties.contains("id")) {
            json.writeStringProperty("id", user.id());
        }
        for (String property : properties) {
            writeUserProperty(json, user, property);
        }
        if (expandManager && user.managerId() != null) {
            json.writeObjectPropertyStart("manager");
            json.writeStringProperty("@odata.type", "#microsoft.graph.user");
            json.writeStringProperty("id", user.managerId());
            json.writeEndObject();
        }
        json.writeEndObject();
    }

    private static void writeUserProperty(JsonGenerator json, EntraUser user, String property) {
        switch (property) {
            case "id" -> json.writeStringProperty("id", user.id());
            case "accountEnabled" -> json.writeBooleanProperty("accountEnabled", user.accountEnabled());
            case "businessPhones" -> {
                json.writeArrayPropertyStart("businessPhones");
                for (String phone : user.businessPhones()) {
                    json.writeString(phone);
                }
                json.writeEndArray();
            }
            case "companyName" -> json.writeStringProperty("companyName", user.companyName());
            case "department" -> json.writeStringProperty("department", user.department());
            case "displayName" -> json.writeStringProperty("displayName", user.displayName());
            case "employeeHireDate" -> json.writeStringProperty("employeeHireDate",
                    user.employeeHireDate() == null ? null : user.employeeHireDate().toString());
            case "employeeId" -> json.writeStringProperty("employeeId", user.employeeId());
            case "givenName" -> json.writeStringProperty("givenName", user.givenName());
            case "jobTitle" -> json.writeStringProperty("jobTitle", user.jobTitle());
            case "mail" -> json.writeStringProperty("mail", user.mail());
            case "mobilePhone" -> json.writeStringProperty("mobilePhone", user.mobilePhone());
            case "officeLocation" -> json.writeStringProperty("officeLocation", user.officeLocation());
            case "preferredLanguage" -> json.writeStringProperty("preferredLanguage", user.preferredLanguage());
            case "surname" -> json.writeStringProperty("surname", user.surname());
            case "userPrincipalName" -> json.writeStringProperty("userPrincipalName", user.userPrincipalName());
            case "deletedDateTime" -> json.writeStringProperty("deletedDateTime",
                    user.deletedDateTime() == null ? null : user.deletedDateTime().toString());
            default -> {
                // Group-only properties selected on a mixed listing.
            }
        }
    }

    static void writeGroup(JsonGenerator json, EntraGroup group, List<String> select, boolean withType) {
        writeGroup(json, group, select, withType, null);
    }

    static void writeGroup(JsonGenerator json, EntraGroup group, List<String> select, boolean withType,
            String context) {
        json.writeStartObject();
        if (context != null) {
            json.writeStringProperty("@odata.context", context);
        }
        if (withType) {
            json.writeStringProperty("@odata.type", "#microsoft.graph.group");
        }
        List<String> properties = select == null ? DEFAULT_GROUP : select;
        if (select != null && !properties.contains("id")) {
            json.writeStringProperty("id", group.id());
        }
        for (String property : properties) {
            switch (property) {
                case "id" -> json.writeStringProperty("id", group.id());
                case "displayName" -> json.writeStringProperty("displayName", group.displayName());
                case "description" -> json.writeStringProperty("description", group.description());
                case "mailNickname" -> json.writeStringProperty("mailNickname", group.mailNickname());
                case "securityEnabled" -> json.writeBooleanProperty("securityEnabled", true);
                case "mailEnabled" -> json.writeBooleanProperty("mailEnabled", false);
                case "groupTypes" -> {
                    json.writeArrayPropertyStart("groupTypes");
                    json.writeEndArray();
                }
                default -> {
                    // User-only properties selected on a mixed listing.
                }
            }
        }
        json.writeEndObject();
    }

    /** Graph's error body. */
    static final class GraphError extends RuntimeException {
        final int status;
        final String code;

        GraphError(int status, String code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }
    }

}
