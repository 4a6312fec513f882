package io.rollcall.emulators.entra;

/**
 * What {@link EntraTenant#generate(DirectorySpec)} builds: {@code people} users in nested security groups
 * under one top group, spread over departments, with manager chains, photos for a share of them, a share of
 * disabled accounts, and a few users outside the top group. The same spec and seed always give the same
 * directory (ids included).
 *
 * @param people users inside the top group (directly or through nested groups)
 * @param outsiders users in the tenant but not in the top group
 * @param departments number of departments; each gets a group nested under the top group
 * @param nestingDepth levels of team groups under each department group (0 = users sit in the department group)
 * @param teamsPerGroup team groups under each group of the level above
 * @param photoShare share (0..1) of users with a photo
 * @param disabledShare share (0..1) of users with {@code accountEnabled=false}
 * @param duplicateMembershipShare share (0..1) of users also put in a second group, so that a correct
 *        transitive listing must de-duplicate them
 * @param domain the UPN/mail domain, e.g. {@code contoso.example}
 * @param seed drives names, ids and every choice above
 */
public record DirectorySpec(
        int people,
        int outsiders,
        int departments,
        int nestingDepth,
        int teamsPerGroup,
        double photoShare,
        double disabledShare,
        double duplicateMembershipShare,
        String domain,
        long seed) {

    public DirectorySpec {
        if (people < 1) {
            throw new IllegalArgumentException("people must be at least 1");
        }
        if (departments < 1 || nestingDepth < 0 || teamsPerGroup < 1 || outsiders < 0) {
            throw new IllegalArgumentException(
                    "departments and teamsPerGroup must be >= 1, nestingDepth and outsiders >= 0");
        }
        if (domain == null || domain.isBlank()) {
            throw new IllegalArgumentException("domain cannot be blank");
        }
    }

    /**
     * Defaults: 8 departments, two levels of 3 teams, 20 % photos, 3 % disabled, 5 % in two groups,
     * 5 outsiders, domain {@code contoso.example}, seed 42.
     */
    public static DirectorySpec people(int people) {
        return new DirectorySpec(people, 5, 8, 2, 3, 0.2, 0.03, 0.05, "contoso.example", 42L);
    }

    public DirectorySpec withOutsiders(int count) {
        return new DirectorySpec(this.people, count, this.departments, this.nestingDepth, this.teamsPerGroup,
                this.photoShare, this.disabledShare, this.duplicateMembershipShare, this.domain, this.seed);
    }

    public DirectorySpec withDepartments(int count) {
        return new DirectorySpec(this.people, this.outsiders, count, this.nestingDepth, this.teamsPerGroup,
                this.photoShare, this.disabledShare, this.duplicateMembershipShare, this.domain, this.seed);
    }

    public DirectorySpec withNesting(int depth, int teamsPerGroup) {
        return new DirectorySpec(this.people, this.outsiders, this.departments, depth, teamsPerGroup,
                this.photoShare, this.disabledShare, this.duplicateMembershipShare, this.domain, this.seed);
    }

    public DirectorySpec withPhotoShare(double share) {
        return new DirectorySpec(this.people, this.outsiders, this.departments, this.nestingDepth, this.teamsPerGroup,
                share, this.disabledShare, this.duplicateMembershipShare, this.domain, this.seed);
    }

    public DirectorySpec withDisabledShare(double share) {
        return new DirectorySpec(this.people, this.outsiders, this.departments, this.nestingDepth, this.teamsPerGroup,
                this.photoShare, share, this.duplicateMembershipShare, this.domain, this.seed);
    }

    public DirectorySpec withDuplicateMembershipShare(double share) {
        return new DirectorySpec(this.people, this.outsiders, this.departments, this.nestingDepth, this.teamsPerGroup,
                this.photoShare, this.disabledShare, share, this.domain, this.seed);
    }

    public DirectorySpec withDomain(String domain) {
        return new DirectorySpec(this.people, this.outsiders, this.departments, this.nestingDepth, this.teamsPerGroup,
                this.photoShare, this.disabledShare, this.duplicateMembershipShare, domain, this.seed);
    }

    public DirectorySpec withSeed(long seed) {
        return new DirectorySpec(this.people, this.outsiders, this.departments, this.nestingDepth, this.teamsPerGroup,
                this.photoShare, this.disabledShare, this.duplicateMembershipShare, this.domain, seed);
    }
}
