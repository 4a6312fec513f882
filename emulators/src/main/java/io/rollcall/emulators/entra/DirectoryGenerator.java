package io.rollcall.emulators.entra;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/** Builds the deterministic sample directory {@link DirectorySpec} describes. */
final class DirectoryGenerator {

    private static final String[] GIVEN = { "Ada", "Alan", "Grace", "Linus", "Margaret", "Dennis", "Barbara", "Ken",
            "Frances", "Edsger", "Radia", "Tim", "Katherine", "John", "Hedy", "Niklaus", "Sophie", "Donald", "Anita",
            "Guido", "Mary", "James", "Ines", "Yukihiro", "Fatima", "Olusegun", "Mei", "Rahul", "Zofia", "Mateo",
            "Aiko", "Lars", "Chiara", "Pedro", "Amara", "Noor", "Elif", "Jonas", "Priya", "Kwame" };
    private static final String[] FAMILY = { "Lovelace", "Turing", "Hopper", "Torvalds", "Hamilton", "Ritchie",
            "Liskov", "Thompson", "Allen", "Dijkstra", "Perlman", "Berners-Lee", "Johnson", "Backus", "Lamarr", "Wirth",
            "Wilson", "Knuth", "Borg", "van Rossum", "Keller", "Gosling", "Moreau", "Matsumoto", "Haddad", "Obi",
            "Chen", "Gupta", "Nowak", "García", "Tanaka", "Nilsson", "Rossi", "Silva", "Mensah", "Khan", "Yilmaz",
            "Schmidt", "Iyer", "Asante" };
    private static final String[] DEPARTMENTS = { "Engineering", "Sales", "Marketing", "Finance", "People",
            "Operations", "Support", "Legal", "Research", "Design", "Security", "Data" };
    private static final String[] TITLES = { "Analyst", "Specialist", "Engineer", "Coordinator", "Consultant",
            "Associate", "Advisor", "Officer" };
    private static final String[] OFFICES = { "London", "Paris", "Berlin", "Madrid", "New York", "Toronto",
            "Singapore", "Sydney", "Remote" };
    private static final String[] LANGUAGES = { "en-US", "en-GB", "fr-FR", "de-DE", "es-ES", "nl-NL", "ja-JP",
            "pt-BR" };
    private static final String[] COMPANIES = { "Contoso Ltd", "Contoso Research" };

    private final DirectorySpec spec;
    private final SplittableRandom random;

    DirectoryGenerator(DirectorySpec spec, String tenantId) {
        this.spec = spec;
        this.random = new SplittableRandom(spec.seed() * 31 + tenantId.hashCode());
    }

    GeneratedDirectory build(EntraTenant tenant) {
        int departments = this.spec.departments();
        List<String> groupIds = new ArrayList<>();
        String topId = EntraTenant.nextUuid(this.random);
        groupIds.add(topId);
        List<List<String>> topMembers = new ArrayList<>();
        topMembers.add(new ArrayList<>());
        List<String[]> groupRecords = new ArrayList<>();
        groupRecords.add(new String[] { topId, "All staff" });

        // Department groups, each with nested team groups; users go into the leaves.
        List<Integer> leafIndexes = new ArrayList<>();
        List<Integer> leafDepartment = new ArrayList<>();
        List<Integer> departmentGroupIndex = new ArrayList<>();
        for (int d = 0; d < departments; d++) {
            String department = departmentName(d);
            int index = addGroup(groupIds, groupRecords, topMembers, department, 0);
            departmentGroupIndex.add(index);
            List<Integer> level = List.of(index);
            for (int depth = 1; depth <= this.spec.nestingDepth(); depth++) {
                List<Integer> next = new ArrayList<>();
                for (int parent : level) {
                    for (int t = 0; t < this.spec.teamsPerGroup(); t++) {
                        String name = groupRecords.get(parent)[1] + " / Team " + (char) ('A' + t);
                        next.add(addGroup(groupIds, groupRecords, topMembers, name, parent));
                    }
                }
                level = next;
            }
            for (int leaf : level) {
                leafIndexes.add(leaf);
                leafDepartment.add(d);
            }
        }

        // People: the first of each department heads it and reports to the CEO (person 0); others report to a
        // team lead or their head, giving chains of 3-4.
        int people = this.spec.people();
        List<String> memberIds = new ArrayList<>(people);
        String[] heads = new String[departments];
        String[] leadOfLeaf = new String[leafIndexes.size()];
        String ceo = null;
        for (int i = 0; i < people; i++) {
            int leafSlot = i == 0 ? 0 : (i - 1) % leafIndexes.size();
            int department = leafDepartment.get(leafSlot);
            String managerId;
            String title;
            if (i == 0) {
                managerId = null;
                title = "Chief Executive Officer";
            }
            else if (heads[department] == null) {
                managerId = ceo;
                title = "Head of " + departmentName(department);
            }
            else if (leadOfLeaf[leafSlot] == null) {
                managerId = heads[department];
                title = "Team Lead";
            }
            else {
                managerId = leadOfLeaf[leafSlot];
                title = TITLES[this.random.nextInt(TITLES.length)];
            }
            EntraUser user = person(i, departmentName(department), title, managerId, tenant);
            String id = user.id();
            if (i == 0) {
                ceo = id;
                topMembers.get(0).add(id);
            }
            else {
                if (heads[department] == null) {
                    heads[department] = id;
                }
                else if (leadOfLeaf[leafSlot] == null) {
                    leadOfLeaf[leafSlot] = id;
                }
                topMembers.get(leafIndexes.get(leafSlot)).add(id);
                if (this.random.nextDouble() < this.spec.duplicateMembershipShare()) {
                    int other = departmentGroupIndex.get(this.random.nextInt(departments));
                    if (!topMembers.get(other).contains(id)) {
                        topMembers.get(other).add(id);
                    }
                }
            }
            memberIds.add(id);
        }

        List<String> outsiders = new ArrayList<>();
        String contractorsId = null;
        List<String> contractorMembers = new ArrayList<>();
        if (this.spec.outsiders() > 0) {
            contractorsId = EntraTenant.nextUuid(this.random);
            for (int i = 0; i < this.spec.outsiders(); i++) {
                EntraUser user = person(people + i, "Contractors", "Contractor", null, tenant);
                outsiders.add(user.id());
                contractorMembers.add(user.id());
            }
        }

        for (int g = 0; g < groupRecords.size(); g++) {
            String[] record = groupRecords.get(g);
            tenant.putGeneratedGroup(new EntraGroup(record[0], record[1], g == 0 ? "Everyone who uses Rollcall" : null,
                    EntraTenant.mailNickname(record[1]), topMembers.get(g)));
        }
        if (contractorsId != null) {
            groupIds.add(contractorsId);
            tenant.putGeneratedGroup(
                    new EntraGroup(contractorsId, "Contractors", null, "contractors", contractorMembers));
        }
        return new GeneratedDirectory(topId, memberIds, outsiders, groupIds);
    }

    private int addGroup(List<String> groupIds, List<String[]> records, List<List<String>> members, String name,
            int parent) {
        String id = EntraTenant.nextUuid(this.random);
        groupIds.add(id);
        records.add(new String[] { id, name });
        members.add(new ArrayList<>());
        members.get(parent).add(id);
        return records.size() - 1;
    }

    private String departmentName(int index) {
        String base = DEPARTMENTS[index % DEPARTMENTS.length];
        return index < DEPARTMENTS.length ? base : base + " " + (index / DEPARTMENTS.length + 1);
    }

    private EntraUser person(int n, String department, String title, String managerId, EntraTenant tenant) {
        String id = EntraTenant.nextUuid(this.random);
        String given = GIVEN[this.random.nextInt(GIVEN.length)];
        String family = FAMILY[this.random.nextInt(FAMILY.length)];
        String local = (ascii(given) + "." + ascii(family)).toLowerCase(Locale.ROOT) + "." + n;
        String upn = local + "@" + this.spec.domain();
        boolean disabled = n > 0 && this.random.nextDouble() < this.spec.disabledShare();
        boolean photo = this.random.nextDouble() < this.spec.photoShare();
        LocalDate hired = LocalDate.of(2010, 1, 1).plusDays(this.random.nextInt(16 * 365));
        EntraUser user = new EntraUser(id, upn, given + " " + family, given, family, upn, title, department,
                OFFICES[this.random.nextInt(OFFICES.length)], LANGUAGES[this.random.nextInt(LANGUAGES.length)],
                String.format("E%06d", n + 1), hired.atStartOfDay(ZoneOffset.UTC).toInstant(),
                COMPANIES[n % 10 == 9 ? 1 : 0], String.format("+44 7700 %06d", n % 1_000_000),
                List.of(String.format("+44 20 7946 %04d", n % 10_000)), !disabled, managerId, photo, null);
        tenant.putGenerated(user, photo ? 1 : 0);
        return user;
    }

    private static String ascii(String name) {
        return java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFD).replaceAll("[^A-Za-z]", "");
    }
}
