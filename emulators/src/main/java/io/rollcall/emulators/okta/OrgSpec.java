package io.rollcall.emulators.okta;

/**
 * What {@link OktaOrg#generate(OrgSpec)} makes: {@code people} users in {@code departments} departments with
 * managers ({@code managerId} and {@code manager}), a custom {@code pictureUrl} for a share of them, a share
 * assigned to the org's app (only those are synced), a share suspended. Deterministic for a seed.
 */
public record OrgSpec(int people, int departments, double assignedShare, double pictureShare, double suspendedShare,
        double honorificShare, String domain, long seed) {

    public OrgSpec {
        if (people < 0 || departments < 1) {
            throw new IllegalArgumentException("people must be >= 0 and departments >= 1");
        }
        for (double share : new double[] { assignedShare, pictureShare, suspendedShare, honorificShare }) {
            if (!(share >= 0 && share <= 1)) {
                throw new IllegalArgumentException("A share is between 0 and 1, got " + share);
            }
        }
    }

    /** {@code n} people, 8 departments, 90 % assigned, 20 % pictures, 2 % suspended, 10 % "Dr", {@code example.com}. */
    public static OrgSpec people(int n) {
        return new OrgSpec(n, 8, 0.9, 0.2, 0.02, 0.1, "example.com", 42L);
    }

    public OrgSpec withDepartments(int count) {
        return new OrgSpec(this.people, count, this.assignedShare, this.pictureShare, this.suspendedShare,
                this.honorificShare, this.domain, this.seed);
    }

    public OrgSpec withAssignedShare(double share) {
        return new OrgSpec(this.people, this.departments, share, this.pictureShare, this.suspendedShare,
                this.honorificShare, this.domain, this.seed);
    }

    public OrgSpec withPictureShare(double share) {
        return new OrgSpec(this.people, this.departments, this.assignedShare, share, this.suspendedShare,
                this.honorificShare, this.domain, this.seed);
    }

    public OrgSpec withSuspendedShare(double share) {
        return new OrgSpec(this.people, this.departments, this.assignedShare, this.pictureShare, share,
                this.honorificShare, this.domain, this.seed);
    }

    public OrgSpec withDomain(String domain) {
        return new OrgSpec(this.people, this.departments, this.assignedShare, this.pictureShare, this.suspendedShare,
                this.honorificShare, domain, this.seed);
    }

    public OrgSpec withSeed(long seed) {
        return new OrgSpec(this.people, this.departments, this.assignedShare, this.pictureShare, this.suspendedShare,
                this.honorificShare, this.domain, seed);
    }
}
