package io.rollcall.emulators.okta;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the emulator on its own: {@code java -cp ... io.rollcall.emulators.okta.OktaEmulatorMain --port 9200
 * --users 300 [--rate-limit 20000] [--departments 50] [--domain okta.example] [--seed 42] [--https]}. Every user is
 * assigned to the app, none suspended, none with a picture (what the benchmarks sync). Prints the org URL, API
 * token and app id, then serves until stopped.
 */
public final class OktaEmulatorMain {

    private OktaEmulatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = 9200;
        int users = 300;
        // A large org's budget: Okta scales its per-minute limits with the org's size.
        int rateLimit = 20_000;
        int departments = 50;
        String domain = "okta.example";
        long seed = 42;
        boolean https = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--users" -> users = Integer.parseInt(args[++i]);
                case "--rate-limit" -> rateLimit = Integer.parseInt(args[++i]);
                case "--departments" -> departments = Integer.parseInt(args[++i]);
                case "--domain" -> domain = args[++i];
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--https" -> https = true;
                default -> {
                    System.err.println("Unknown argument " + args[i] + "; use --port N --users N --rate-limit N"
                            + " --departments N --domain D --seed N --https");
                    System.exit(2);
                }
            }
        }
        OktaEmulator emulator = OktaEmulator
            .start(OktaEmulator.Options.defaults().port(port).https(https).seed(seed).rateLimit(rateLimit));
        OktaOrg org = emulator.org();
        long start = System.nanoTime();
        org.generate(OrgSpec.people(users)
            .withAssignedShare(1.0)
            .withSuspendedShare(0)
            .withPictureShare(0)
            .withDepartments(departments)
            .withDomain(domain)
            .withSeed(seed));
        System.out.println("Okta emulator ready (" + users + " people generated in "
                + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms)");
        System.out.println("  org url        " + org.orgUrl());
        System.out.println("  admin API      " + emulator.adminUrl());
        System.out.println("  api token      " + org.apiToken());
        System.out.println("  app id         " + org.appId());
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            stop.countDown();
        }));
        stop.await();
    }
}
