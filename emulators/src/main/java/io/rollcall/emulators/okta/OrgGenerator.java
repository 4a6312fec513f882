package io.rollcall.emulators.okta;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Builds a deterministic org: the CEO, department heads reporting to the CEO, everyone else to their head. */
final class OrgGenerator {

    private static final String[] FIRST = { "Ada", "Ben", "Chloe", "Dev", "Emma", "Farid", "Grace", "Hugo", "Isla",
            "Jonas",
            "Kira", "Liam", "Maya", "Nils", "Olga", "Priya", "Quinn", "Rosa", "Sami", "Tara", "Uma", "Victor", "Wen",
            "Yusuf", "Zoe" };
    private static final String[] LAST = { "Adams", "Brown", "Chen", "Diaz", "Evans", "Fischer", "Garcia", "Hughes",
            "Ito",
            "Jones", "Khan", "Lopez", "Martin", "Novak", "Okafor", "Patel", "Quist", "Rossi", "Silva", "Taylor", "Umar",
            "Virtanen", "Weber", "Yamada", "Zhang" };
    private static final String[] DEPARTMENTS = { "Engineering", "Sales", "Marketing", "Finance", "People", "Support",
            "Operations", "Legal", "Design", "Research", "Security", "Data" };
    private static final String[] CITIES = { "London", "Berlin", "Paris", "Madrid", "Lisbon", "Dublin", "Amsterdam",
            "Warsaw" };
    private static final String[] LANGUAGES = { "en-GB", "en-US", "de-DE", "fr-FR", "es-ES", "pt-PT", "nl-NL",
            "pl-PL" };
    private static final String[] TITLES = { "Analyst", "Specialist", "Engineer", "Consultant", "Coordinator",
            "Associate" };

    private final OktaOrg org;
    private final OrgSpec spec;

    OrgGenerator(OktaOrg org, OrgSpec spec) {
        this.org = org;
        this.spec = spec;
    }

    GeneratedOrg generate() {
        SplittableRandom random = new SplittableRandom(this.spec.seed());
        List<String> departments = new ArrayList<>();
        for (int d = 0; d < this.spec.departments(); d++) {
            departments.add(d < DEPARTMENTS.length ? DEPARTMENTS[d] : "Department " + (d + 1));
        }
        List<String> userIds = new ArrayList<>();
        List<String> assigned = new ArrayList<>();
        List<String> suspended = new ArrayList<>();
        Map<String, OktaUser> heads = new LinkedHashMap<>();
        OktaUser ceo = null;
        Instant now = this.org.now();
        // Numbered after the users already there, so generating twice gives distinct logins.
        int numberBase = this.org.userMap().size();
        for (int i = 0; i < this.spec.people(); i++) {
            String id = this.org.nextUserId();
            String first = FIRST[random.nextInt(FIRST.length)];
            String last = LAST[random.nextInt(LAST.length)];
            String email = (first + "." + last + "." + (numberBase + i)).toLowerCase() + "@" + this.spec.domain();
            String department = i == 0 ? "Executive" : departments.get((i - 1) % departments.size());
            boolean head = i > 0 && i <= departments.size();
            Map<String, String> profile = new LinkedHashMap<>();
            profile.put("login", email);
            profile.put("email", email);
            profile.put("firstName", first);
            profile.put("lastName", last);
            profile.put("displayName", first + " " + last);
            if (random.nextDouble() < this.spec.honorificShare()) {
                profile.put("honorificPrefix", "Dr");
            }
            profile.put("title", i == 0 ? "Chief Executive Officer"
                    : head ? "Head of " + department : TITLES[random.nextInt(TITLES.length)]);
            profile.put("department", department);
            profile.put("city", CITIES[random.nextInt(CITIES.length)]);
            String language = LANGUAGES[random.nextInt(LANGUAGES.length)];
            profile.put("preferredLanguage", language);
            profile.put("locale", language.replace('-', '_'));
            profile.put("employeeNumber", String.format("E%06d", i + 1));
            profile.put("mobilePhone", String.format("+44 7700 %06d", i));
            profile.put("countryCode", language.substring(3));
            OktaUser manager = i == 0 ? null : head ? ceo : heads.get(department);
            if (manager != null) {
                profile.put("managerId", manager.id());
                profile.put("manager", OktaOrg.displayName(manager));
            }
            if (random.nextDouble() < this.spec.pictureShare()) {
                profile.put("pictureUrl", this.org.orgUrl() + "/_emulator/pictures/" + id + ".jpg");
            }
            // The CEO and department heads stay active and assigned so everyone's manager is reachable.
            boolean leader = i == 0 || head;
            boolean isSuspended = !leader && random.nextDouble() < this.spec.suspendedShare();
            boolean isAssigned = leader || random.nextDouble() < this.spec.assignedShare();
            OktaUser user = new OktaUser(id, isSuspended ? "SUSPENDED" : "ACTIVE", now, now, now, now, profile);
            this.org.putGenerated(user, isAssigned);
            userIds.add(id);
            if (isAssigned) {
                assigned.add(id);
            }
            if (isSuspended) {
                suspended.add(id);
            }
            if (i == 0) {
                ceo = user;
            }
            if (head) {
                heads.put(department, user);
            }
        }
        return new GeneratedOrg(this.org.appId(), userIds, assigned, suspended, departments);
    }
}
